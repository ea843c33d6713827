from django.urls import path

from recommendations import views

app_name = "recommendations"

urlpatterns = [
    path("reviews/<int:pk>/action-plan/", views.ActionPlanView.as_view(), name="plan"),
    path(
        "reviews/<int:pk>/action-plan/export.<str:fmt>",
        views.ActionPlanExportView.as_view(),
        name="export",
    ),
    path(
        "reviews/<int:pk>/action-plan/recommendations/new/",
        views.RecommendationFormView.as_view(),
        name="recommendation_add",
    ),
    path(
        "reviews/<int:pk>/action-plan/recommendations/<int:recommendation_pk>/",
        views.RecommendationFormView.as_view(),
        name="recommendation",
    ),
    path(
        "reviews/<int:pk>/action-plan/recommendations/<int:recommendation_pk>/actions/new/",
        views.ActionFormView.as_view(),
        name="action_add",
    ),
    path(
        "reviews/<int:pk>/action-plan/recommendations/<int:recommendation_pk>/actions/"
        "<int:action_pk>/",
        views.ActionFormView.as_view(),
        name="action_edit",
    ),
    path(
        "partnerships/<slug:slug>/update-requests/",
        views.UpdateRequestsView.as_view(),
        name="update_requests",
    ),
    path(
        "partnerships/<slug:slug>/update-requests/new/",
        views.UpdateRequestSendView.as_view(),
        name="update_request_send",
    ),
    path(
        "partnerships/<slug:slug>/escalations/",
        views.EscalationsView.as_view(),
        name="escalations",
    ),
    path(
        "escalations/<int:escalation_pk>/decide/",
        views.EscalationDecideView.as_view(),
        name="escalation_decide",
    ),
    path(
        "escalations/<int:escalation_pk>/outcome/",
        views.EscalationOutcomeView.as_view(),
        name="escalation_outcome",
    ),
    path(
        "escalations/<int:escalation_pk>/letter/",
        views.EscalationLetterView.as_view(),
        name="escalation_letter",
    ),
    path(
        "actions/<int:action_pk>/escalate/",
        views.EscalationRaiseView.as_view(),
        name="escalation_raise",
    ),
    path("partnerships/<slug:slug>/tracker/", views.TrackerView.as_view(), name="tracker"),
    path(
        "partnerships/<slug:slug>/tracker/report.<str:fmt>",
        views.TrackerExportView.as_view(),
        name="tracker_export",
    ),
    path(
        "partnerships/<slug:slug>/tracker/analytics/",
        views.TrackerAnalyticsView.as_view(),
        name="tracker_analytics",
    ),
    path(
        "partnerships/<slug:slug>/tracker/import/",
        views.TrackerImportView.as_view(),
        name="tracker_import",
    ),
    path(
        "partnerships/<slug:slug>/tracker/import/template.<str:fmt>",
        views.TrackerTemplateView.as_view(),
        name="tracker_template",
    ),
    path(
        "partnerships/<slug:slug>/tracker/imports/<int:import_pk>/",
        views.TrackerImportJobView.as_view(),
        name="tracker_import_job",
    ),
    path(
        "partnerships/<slug:slug>/tracker/imports/<int:import_pk>/status/",
        views.TrackerImportStatusView.as_view(),
        name="tracker_import_status",
    ),
    path("actions/", views.YourActionsView.as_view(), name="your_actions"),
    path("actions/<int:action_pk>/", views.ActionDetailView.as_view(), name="action"),
    path("actions/<int:action_pk>/update/", views.ActionUpdateView.as_view(), name="update"),
    path(
        "updates/<int:update_pk>/review/",
        views.UpdateReviewView.as_view(),
        name="update_review",
    ),
    path("evidence/<int:evidence_pk>/", views.EvidenceDownloadView.as_view(), name="evidence"),
]
