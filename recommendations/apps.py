from django.apps import AppConfig
from django.db.models.signals import post_migrate


class RecommendationsConfig(AppConfig):
    name = "recommendations"
    verbose_name = "Recommendations and action plans"

    def ready(self):
        # Imported here: models are ready only now.
        from recommendations import demo, records
        from recommendations.deadlines import (
            action_deadlines,
            national_reply_deadlines,
            update_request_deadlines,
        )
        from recommendations.services import escalations_propose
        from recommendations.themes import themes_install
        from recommendations.work import plan_work
        from recommendations.workflow import open_actions_missing, plan_missing
        from reviews import extensions

        post_migrate.connect(themes_install, sender=self)
        extensions.register(
            extensions.Extension(
                app=self.label,
                deadlines=(action_deadlines, update_request_deadlines, national_reply_deadlines),
                work=(plan_work,),
                proposers=(escalations_propose,),
                checks={"conclude": (open_actions_missing,), "sign_off": (plan_missing,)},
                record_parts=records.parts,
                record_scrub=records.scrub,
                demo={"sign_off": (demo.recommendations_write,)},
            )
        )
