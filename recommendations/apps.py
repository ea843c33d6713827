from django.apps import AppConfig
from django.db.models.signals import post_migrate


class RecommendationsConfig(AppConfig):
    name = "recommendations"
    verbose_name = "Recommendations and action plans"

    def ready(self):
        from recommendations.themes import themes_install  # models are ready only now

        post_migrate.connect(themes_install, sender=self)
