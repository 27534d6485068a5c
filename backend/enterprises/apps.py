from django.apps import AppConfig


class EnterprisesConfig(AppConfig):
    name = "backend.enterprises"
    label = "enterprises"
