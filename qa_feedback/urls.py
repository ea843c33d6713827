from django.urls import path

from qa_feedback import views

app_name = "qa_feedback"

urlpatterns = [
    path("reviews/<int:pk>/qa/", views.QAView.as_view(), name="review"),
    path("reviews/<int:pk>/qa/letters/new/", views.LetterReadView.as_view(), name="add"),
    path(
        "reviews/<int:pk>/qa/letters/<int:letter_pk>/",
        views.LetterView.as_view(),
        name="letter",
    ),
    path(
        "reviews/<int:pk>/qa/letters/<int:letter_pk>/check/",
        views.LetterCheckView.as_view(),
        name="check",
    ),
    path(
        "reviews/<int:pk>/qa/letters/<int:letter_pk>/discard/",
        views.LetterDiscardView.as_view(),
        name="discard",
    ),
    path(
        "reviews/<int:pk>/qa/letters/<int:letter_pk>/original/",
        views.OriginalDownloadView.as_view(),
        name="original",
    ),
    path("reviews/<int:pk>/qa/points/<int:point_pk>/", views.PointView.as_view(), name="point"),
    path(
        "reviews/<int:pk>/qa/publication/<slug:item>/",
        views.StepView.as_view(),
        name="step",
    ),
    path("reviews/<int:pk>/qa/pdf/", views.BundlesView.as_view(), name="bundles"),
    path(
        "reviews/<int:pk>/qa/pdf/build/", views.BundleRequestView.as_view(), name="bundle_request"
    ),
    path(
        "reviews/<int:pk>/qa/pdf/<int:bundle_pk>/status/",
        views.BundleStatusView.as_view(),
        name="bundle_status",
    ),
    path(
        "reviews/<int:pk>/qa/pdf/<int:bundle_pk>/download/",
        views.BundleDownloadView.as_view(),
        name="bundle_download",
    ),
    path(
        "reviews/<int:pk>/qa/pdf/findings/<int:finding_pk>/accept/",
        views.FindingAcceptView.as_view(),
        name="finding_accept",
    ),
    path("reviews/<int:pk>/qa/pdf/terms/new/", views.TermAddView.as_view(), name="term_add"),
    path(
        "reviews/<int:pk>/qa/pdf/terms/<int:term_pk>/remove/",
        views.TermRemoveView.as_view(),
        name="term_remove",
    ),
    path(
        "reviews/<int:pk>/qa/pdf/write/<slug:kind>/",
        views.ReportTextView.as_view(),
        name="report_text",
    ),
    path(
        "partnerships/<slug:slug>/qa-learning/",
        views.LearningView.as_view(),
        name="learning",
    ),
]
