from django.urls import path

from reviews.views import (
    chronology,
    decision_route,
    documents,
    extensions,
    history,
    index,
    overview,
    partnership,
    proceedings,
    stages,
    timeline,
)

app_name = "reviews"

urlpatterns = [
    path("", index.ReviewListView.as_view(), name="list"),
    path("new/", index.ReviewCreateView.as_view(), name="create"),
    path(
        "partnerships/<slug:slug>/settings/",
        partnership.PartnershipSettingsView.as_view(),
        name="settings",
    ),
    path("<int:pk>/", overview.ReviewDetailView.as_view(), name="detail"),
    path("<int:pk>/confidential/", overview.ConfidentialView.as_view(), name="confidential"),
    path("<int:pk>/history/", history.ReviewHistoryView.as_view(), name="history"),
    path("<int:pk>/history/audit/", history.ReviewAuditView.as_view(), name="audit"),
    path("<int:pk>/history/record.zip", history.ReviewExportView.as_view(), name="export"),
    path("<int:pk>/timeline/", timeline.ReviewTimelineView.as_view(), name="timeline"),
    path(
        "<int:pk>/extensions/new/", extensions.ExtensionRequestView.as_view(), name="extension_add"
    ),
    path(
        "<int:pk>/extensions/<int:extension_pk>/decide/",
        extensions.ExtensionDecideView.as_view(),
        name="extension_decide",
    ),
    path("<int:pk>/notification/", overview.NotificationUpdateView.as_view(), name="notification"),
    path("<int:pk>/joint-review/", overview.JointReviewView.as_view(), name="joint_review"),
    path("<int:pk>/viewers/", overview.ViewersView.as_view(), name="viewers"),
    path("<int:pk>/decision/", overview.DecisionView.as_view(), name="decision"),
    path("<int:pk>/conclude/", overview.ConcludeView.as_view(), name="conclude"),
    path("<int:pk>/publish/", overview.PublishView.as_view(), name="publish"),
    path("<int:pk>/move/<slug:action>/", overview.TransitionView.as_view(), name="transition"),
    path("<int:pk>/set-up/", stages.SetUpView.as_view(), name="set_up"),
    path("<int:pk>/set-up/panel/add/", stages.PanelMemberAddView.as_view(), name="panel_add"),
    path(
        "<int:pk>/set-up/panel/<int:member_pk>/remove/",
        stages.PanelMemberRemoveView.as_view(),
        name="panel_remove",
    ),
    path("<int:pk>/agency-reports/", stages.AgencyReportsView.as_view(), name="agency_reports"),
    path("<int:pk>/chronology/", chronology.ChronologyView.as_view(), name="chronology"),
    path(
        "<int:pk>/chronology/merged.xlsx",
        chronology.ChronologyDownloadView.as_view(),
        name="chronology_download",
    ),
    path(
        "<int:pk>/chronology/template.xlsx",
        chronology.ChronologyTemplateView.as_view(),
        name="chronology_template",
    ),
    path(
        "<int:pk>/chronology/files/<int:file_pk>/",
        chronology.ChronologyFileView.as_view(),
        name="chronology_file",
    ),
    path(
        "<int:pk>/agency-reports/<int:report_pk>/",
        stages.AgencyReportUpdateView.as_view(),
        name="agency_report",
    ),
    path(
        "<int:pk>/agency-reports/<int:report_pk>/waive/",
        stages.AgencyReportWaiveView.as_view(),
        name="agency_report_waive",
    ),
    path(
        "<int:pk>/no-recommendations/",
        stages.NoRecommendationsView.as_view(),
        name="no_recommendations",
    ),
    path("<int:pk>/family/", stages.FamilyView.as_view(), name="family"),
    path("<int:pk>/family/add/", stages.FamilyContactAddView.as_view(), name="family_add"),
    path("<int:pk>/family/pseudonym/", stages.PseudonymView.as_view(), name="pseudonym"),
    path(
        "<int:pk>/home-office-told/",
        decision_route.HomeOfficeToldView.as_view(),
        name="home_office_told",
    ),
    path(
        "<int:pk>/home-office-told/<int:notice_pk>/",
        decision_route.HomeOfficeNoticeView.as_view(),
        name="home_office_notice",
    ),
    path(
        "<int:pk>/decision/home-office-view/",
        decision_route.DecisionQAViewView.as_view(),
        name="decision_qa_view",
    ),
    path("<int:pk>/decision/direction/", decision_route.DirectionView.as_view(), name="direction"),
    path(
        "<int:pk>/safeguarding-partners-told/",
        decision_route.SafeguardingToldView.as_view(),
        name="safeguarding_told",
    ),
    path("<int:pk>/proceedings/", proceedings.ProceedingsView.as_view(), name="proceedings"),
    path(
        "<int:pk>/proceedings/add/", proceedings.ProceedingFormView.as_view(), name="proceeding_add"
    ),
    path(
        "<int:pk>/proceedings/<int:proceeding_pk>/",
        proceedings.ProceedingFormView.as_view(),
        name="proceeding",
    ),
    path(
        "<int:pk>/proceedings/<int:proceeding_pk>/pause/",
        proceedings.PauseDecideView.as_view(),
        name="proceeding_pause",
    ),
    path("<int:pk>/drafting/", stages.DraftingView.as_view(), name="drafting"),
    path(
        "<int:pk>/documents/<int:document_pk>/",
        documents.DocumentDownloadView.as_view(),
        name="document",
    ),
]
