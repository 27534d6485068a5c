from django.apps import AppConfig


class JoinConfig(AppConfig):
    name = "backend.join"
    label = "join"
    verbose_name = "企业入驻"
