from django.apps import AppConfig


class RatelimitConfig(AppConfig):
    name = "backend.ratelimit"
    label = "ratelimit"
