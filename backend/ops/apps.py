from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Keeping data: backup and restore commands (no models)."""

    name = "backend.ops"
    label = "ops"
