from django.apps import AppConfig


class DhrConfig(AppConfig):
    name = "dhr"
    verbose_name = "Partnerships, people and roles"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from dhr.middleware import mark_signed_in

        user_logged_in.connect(mark_signed_in, dispatch_uid="dhr_mark_signed_in")
