from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Reviews"

    def ready(self):
        from reviews.schedule import schedule_install  # models are ready only now

        post_migrate.connect(schedule_install, sender=self)
