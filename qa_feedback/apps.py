from django.apps import AppConfig


class QaFeedbackConfig(AppConfig):
    name = "qa_feedback"
    verbose_name = "Home Office QA feedback"

    def ready(self):
        # Imported here: models are ready only now.
        from qa_feedback.deadlines import qa_revision_deadlines
        from qa_feedback.workflow import checklist_missing, points_missing
        from reviews.deadlines import SOURCES
        from reviews.workflow import register_check

        if qa_revision_deadlines not in SOURCES:
            SOURCES.append(qa_revision_deadlines)
        register_check("approve_for_publication", points_missing)
        register_check("publish", checklist_missing)
        from qa_feedback import records
        from reviews.records import register

        register(parts=records.parts, scrub=records.scrub)
