from django.apps import AppConfig


class ConsultationsConfig(AppConfig):
    name = "backend.consultations"
    label = "consultations"
    verbose_name = "在线咨询"

    def ready(self) -> None:
        from backend.workdays.hooks import register_recompute

        from .services import deadlines_recompute

        register_recompute(deadlines_recompute)
