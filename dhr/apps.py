from django.apps import AppConfig


class DhrConfig(AppConfig):
    name = "dhr"
    verbose_name = "Partnerships, people and roles"
