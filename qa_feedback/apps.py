from django.apps import AppConfig


class QaFeedbackConfig(AppConfig):
    name = "qa_feedback"
    verbose_name = "Home Office QA feedback"
