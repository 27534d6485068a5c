from django.apps import AppConfig


class EnterprisesConfig(AppConfig):
    name = "backend.enterprises"
    label = "enterprises"

    def ready(self) -> None:
        from backend.accounts.profile import profile_part_add

        profile_part_add(_profile)


def _profile(user) -> dict:
    from backend import access

    return {"enterprise_id": access.enterprises.enterprise_id_of(user)}
