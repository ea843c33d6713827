from django.apps import AppConfig
from django.db.models.signals import post_migrate


class RecommendationsConfig(AppConfig):
    name = "recommendations"
    verbose_name = "Recommendations and action plans"

    def ready(self):
        # Imported here: models are ready only now.
        from recommendations.deadlines import action_deadlines, update_request_deadlines
        from recommendations.services import escalations_propose
        from recommendations.themes import themes_install
        from recommendations.workflow import open_actions_missing
        from reviews.chase import PROPOSERS
        from reviews.deadlines import SOURCES
        from reviews.workflow import register_check

        post_migrate.connect(themes_install, sender=self)
        for source in (action_deadlines, update_request_deadlines):
            if source not in SOURCES:
                SOURCES.append(source)
        if escalations_propose not in PROPOSERS:
            PROPOSERS.append(escalations_propose)
        register_check("conclude", open_actions_missing)
        from recommendations import records
        from reviews.records import register

        register(parts=records.parts, scrub=records.scrub)
