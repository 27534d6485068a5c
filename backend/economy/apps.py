from django.apps import AppConfig


class EconomyConfig(AppConfig):
    name = "backend.economy"
    label = "economy"
    verbose_name = "经济数据"
