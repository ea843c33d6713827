from django.urls import path

from qa_feedback.views import bundles, checklist, copies, learning, letters, national, own_steps

app_name = "qa_feedback"

urlpatterns = [
    path("reviews/<int:pk>/qa/", letters.QAView.as_view(), name="review"),
    path("reviews/<int:pk>/qa/letters/new/", letters.LetterReadView.as_view(), name="add"),
    path(
        "reviews/<int:pk>/qa/letters/<int:letter_pk>/",
        letters.LetterView.as_view(),
        name="letter",
    ),
    path(
        "reviews/<int:pk>/qa/letters/<int:letter_pk>/check/",
        letters.LetterCheckView.as_view(),
        name="check",
    ),
    path(
        "reviews/<int:pk>/qa/letters/<int:letter_pk>/discard/",
        letters.LetterDiscardView.as_view(),
        name="discard",
    ),
    path(
        "reviews/<int:pk>/qa/letters/<int:letter_pk>/original/",
        letters.OriginalDownloadView.as_view(),
        name="original",
    ),
    path(
        "reviews/<int:pk>/qa/letters/<int:letter_pk>/national-answers/",
        national.NationalAnswersView.as_view(),
        name="national_answers",
    ),
    path("reviews/<int:pk>/qa/points/<int:point_pk>/", letters.PointView.as_view(), name="point"),
    path(
        "reviews/<int:pk>/qa/publication/<slug:item>/",
        checklist.StepView.as_view(),
        name="step",
    ),
    path("reviews/<int:pk>/qa/copies/", copies.CopiesView.as_view(), name="copies"),
    path(
        "reviews/<int:pk>/qa/copies/commissioner/",
        copies.CopyView.as_view(),
        name="commissioner_copy",
    ),
    path(
        "reviews/<int:pk>/qa/copies/agencies/<int:agency_pk>/",
        copies.CopyView.as_view(),
        name="agency_copy",
    ),
    path("reviews/<int:pk>/qa/pdf/", bundles.BundlesView.as_view(), name="bundles"),
    path(
        "reviews/<int:pk>/qa/pdf/build/", bundles.BundleRequestView.as_view(), name="bundle_request"
    ),
    path(
        "reviews/<int:pk>/qa/pdf/<int:bundle_pk>/status/",
        bundles.BundleStatusView.as_view(),
        name="bundle_status",
    ),
    path(
        "reviews/<int:pk>/qa/pdf/<int:bundle_pk>/download/",
        bundles.BundleDownloadView.as_view(),
        name="bundle_download",
    ),
    path(
        "reviews/<int:pk>/qa/pdf/findings/<int:finding_pk>/accept/",
        bundles.FindingAcceptView.as_view(),
        name="finding_accept",
    ),
    path("reviews/<int:pk>/qa/pdf/terms/new/", bundles.TermAddView.as_view(), name="term_add"),
    path(
        "reviews/<int:pk>/qa/pdf/terms/<int:term_pk>/remove/",
        bundles.TermRemoveView.as_view(),
        name="term_remove",
    ),
    path(
        "reviews/<int:pk>/qa/pdf/write/<slug:kind>/",
        bundles.ReportTextView.as_view(),
        name="report_text",
    ),
    path(
        "partnerships/<slug:slug>/publication-steps/",
        own_steps.OwnStepsView.as_view(),
        name="own_steps",
    ),
    path(
        "partnerships/<slug:slug>/publication-steps/<int:step_pk>/",
        own_steps.OwnStepEditView.as_view(),
        name="own_step",
    ),
    path(
        "partnerships/<slug:slug>/publication-steps/<int:step_pk>/remove/",
        own_steps.OwnStepRemoveView.as_view(),
        name="own_step_remove",
    ),
    path(
        "partnerships/<slug:slug>/qa-learning/",
        learning.LearningView.as_view(),
        name="learning",
    ),
]
