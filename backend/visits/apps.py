from django.apps import AppConfig


class VisitsConfig(AppConfig):
    name = "backend.visits"
    label = "visits"
