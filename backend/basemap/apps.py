from django.apps import AppConfig


class BasemapConfig(AppConfig):
    name = "backend.basemap"
    label = "basemap"
