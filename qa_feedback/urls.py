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
    path(
        "partnerships/<slug:slug>/qa-learning/",
        views.LearningView.as_view(),
        name="learning",
    ),
]
