from django.urls import path

from recommendations.views import actions, escalations, national, plan, tracker, update_requests

app_name = "recommendations"

urlpatterns = [
    path("reviews/<int:pk>/action-plan/", plan.ActionPlanView.as_view(), name="plan"),
    path(
        "reviews/<int:pk>/action-plan/export.<str:fmt>",
        plan.ActionPlanExportView.as_view(),
        name="export",
    ),
    path(
        "reviews/<int:pk>/action-plan/recommendations/new/",
        plan.RecommendationFormView.as_view(),
        name="recommendation_add",
    ),
    path(
        "reviews/<int:pk>/action-plan/recommendations/<int:recommendation_pk>/",
        plan.RecommendationFormView.as_view(),
        name="recommendation",
    ),
    path(
        "reviews/<int:pk>/action-plan/recommendations/<int:recommendation_pk>/reply/",
        national.NationalReplyView.as_view(),
        name="national_reply",
    ),
    path(
        "reviews/<int:pk>/action-plan/recommendations/<int:recommendation_pk>/actions/new/",
        plan.ActionFormView.as_view(),
        name="action_add",
    ),
    path(
        "reviews/<int:pk>/action-plan/recommendations/<int:recommendation_pk>/actions/"
        "<int:action_pk>/",
        plan.ActionFormView.as_view(),
        name="action_edit",
    ),
    path(
        "partnerships/<slug:slug>/update-requests/",
        update_requests.UpdateRequestsView.as_view(),
        name="update_requests",
    ),
    path(
        "partnerships/<slug:slug>/update-requests/new/",
        update_requests.UpdateRequestSendView.as_view(),
        name="update_request_send",
    ),
    path(
        "partnerships/<slug:slug>/escalations/",
        escalations.EscalationsView.as_view(),
        name="escalations",
    ),
    path(
        "escalations/<int:escalation_pk>/decide/",
        escalations.EscalationDecideView.as_view(),
        name="escalation_decide",
    ),
    path(
        "escalations/<int:escalation_pk>/outcome/",
        escalations.EscalationOutcomeView.as_view(),
        name="escalation_outcome",
    ),
    path(
        "escalations/<int:escalation_pk>/letter/",
        escalations.EscalationLetterView.as_view(),
        name="escalation_letter",
    ),
    path(
        "actions/<int:action_pk>/escalate/",
        escalations.EscalationRaiseView.as_view(),
        name="escalation_raise",
    ),
    path("partnerships/<slug:slug>/tracker/", tracker.TrackerView.as_view(), name="tracker"),
    path(
        "partnerships/<slug:slug>/tracker/report.<str:fmt>",
        tracker.TrackerExportView.as_view(),
        name="tracker_export",
    ),
    path(
        "partnerships/<slug:slug>/tracker/report-pdf/",
        tracker.TrackerPdfView.as_view(),
        name="tracker_pdf",
    ),
    path(
        "partnerships/<slug:slug>/tracker/analytics/",
        tracker.TrackerAnalyticsView.as_view(),
        name="tracker_analytics",
    ),
    path(
        "partnerships/<slug:slug>/tracker/import/",
        tracker.TrackerImportView.as_view(),
        name="tracker_import",
    ),
    path(
        "partnerships/<slug:slug>/tracker/import/template.<str:fmt>",
        tracker.TrackerTemplateView.as_view(),
        name="tracker_template",
    ),
    path(
        "partnerships/<slug:slug>/tracker/imports/<int:import_pk>/",
        tracker.TrackerImportJobView.as_view(),
        name="tracker_import_job",
    ),
    path(
        "partnerships/<slug:slug>/tracker/imports/<int:import_pk>/status/",
        tracker.TrackerImportStatusView.as_view(),
        name="tracker_import_status",
    ),
    path("actions/", actions.YourActionsView.as_view(), name="your_actions"),
    path("actions/<int:action_pk>/", actions.ActionDetailView.as_view(), name="action"),
    path("actions/<int:action_pk>/update/", actions.ActionUpdateView.as_view(), name="update"),
    path(
        "updates/<int:update_pk>/review/",
        plan.UpdateReviewView.as_view(),
        name="update_review",
    ),
    path("evidence/<int:evidence_pk>/", actions.EvidenceDownloadView.as_view(), name="evidence"),
]
