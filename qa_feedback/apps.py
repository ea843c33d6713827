from django.apps import AppConfig


class QaFeedbackConfig(AppConfig):
    name = "qa_feedback"
    verbose_name = "Home Office QA feedback"

    def ready(self):
        # Imported here: models are ready only now.
        from qa_feedback import records
        from qa_feedback.checklist import checklist_missing
        from qa_feedback.deadlines import commissioner_copy_deadlines, qa_revision_deadlines
        from qa_feedback.work import qa_work
        from qa_feedback.workflow import (
            approval_barred,
            points_missing,
            resubmission_barred,
        )
        from reviews import extensions

        extensions.register(
            extensions.Extension(
                app=self.label,
                deadlines=(qa_revision_deadlines, commissioner_copy_deadlines),
                work=(qa_work,),
                checks={
                    "approve_for_publication": (points_missing,),
                    "publish": (checklist_missing,),
                },
                bars={
                    "approve_for_publication": (approval_barred,),
                    "resubmit": (resubmission_barred,),
                },
                record_parts=records.parts,
                record_scrub=records.scrub,
            )
        )
