from django.apps import AppConfig


class DemandsConfig(AppConfig):
    name = "backend.demands"
    label = "demands"
    verbose_name = "诉求"

    def ready(self) -> None:
        from backend.workdays.hooks import register_recompute

        from .services import deadlines_recompute

        register_recompute(deadlines_recompute)
