from django.apps import AppConfig


class DemandsConfig(AppConfig):
    name = "backend.demands"
    label = "demands"
    verbose_name = "诉求"
