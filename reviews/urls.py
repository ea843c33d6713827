from django.urls import path

from reviews import views

app_name = "reviews"

urlpatterns = [
    path("", views.ReviewListView.as_view(), name="list"),
    path("new/", views.ReviewCreateView.as_view(), name="create"),
    path(
        "partnerships/<slug:slug>/settings/",
        views.PartnershipSettingsView.as_view(),
        name="settings",
    ),
    path("<int:pk>/", views.ReviewDetailView.as_view(), name="detail"),
    path("<int:pk>/history/", views.ReviewHistoryView.as_view(), name="history"),
    path("<int:pk>/history/audit/", views.ReviewAuditView.as_view(), name="audit"),
    path("<int:pk>/history/record.zip", views.ReviewExportView.as_view(), name="export"),
    path("<int:pk>/timeline/", views.ReviewTimelineView.as_view(), name="timeline"),
    path("<int:pk>/extensions/new/", views.ExtensionRequestView.as_view(), name="extension_add"),
    path(
        "<int:pk>/extensions/<int:extension_pk>/decide/",
        views.ExtensionDecideView.as_view(),
        name="extension_decide",
    ),
    path("<int:pk>/notification/", views.NotificationUpdateView.as_view(), name="notification"),
    path("<int:pk>/joint-review/", views.JointReviewView.as_view(), name="joint_review"),
    path("<int:pk>/viewers/", views.ViewersView.as_view(), name="viewers"),
    path("<int:pk>/decision/", views.DecisionView.as_view(), name="decision"),
    path("<int:pk>/conclude/", views.ConcludeView.as_view(), name="conclude"),
    path("<int:pk>/publish/", views.PublishView.as_view(), name="publish"),
    path("<int:pk>/move/<slug:action>/", views.TransitionView.as_view(), name="transition"),
    path("<int:pk>/set-up/", views.SetUpView.as_view(), name="set_up"),
    path("<int:pk>/set-up/panel/add/", views.PanelMemberAddView.as_view(), name="panel_add"),
    path(
        "<int:pk>/set-up/panel/<int:member_pk>/remove/",
        views.PanelMemberRemoveView.as_view(),
        name="panel_remove",
    ),
    path("<int:pk>/agency-reports/", views.AgencyReportsView.as_view(), name="agency_reports"),
    path(
        "<int:pk>/agency-reports/<int:report_pk>/",
        views.AgencyReportUpdateView.as_view(),
        name="agency_report",
    ),
    path("<int:pk>/family/", views.FamilyView.as_view(), name="family"),
    path("<int:pk>/family/add/", views.FamilyContactAddView.as_view(), name="family_add"),
    path("<int:pk>/family/pseudonym/", views.PseudonymView.as_view(), name="pseudonym"),
    path("<int:pk>/proceedings/", views.ProceedingsView.as_view(), name="proceedings"),
    path("<int:pk>/proceedings/add/", views.ProceedingFormView.as_view(), name="proceeding_add"),
    path(
        "<int:pk>/proceedings/<int:proceeding_pk>/",
        views.ProceedingFormView.as_view(),
        name="proceeding",
    ),
    path("<int:pk>/drafting/", views.DraftingView.as_view(), name="drafting"),
    path(
        "<int:pk>/documents/<int:document_pk>/",
        views.DocumentDownloadView.as_view(),
        name="document",
    ),
]
