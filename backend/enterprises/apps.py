from django.apps import AppConfig


class EnterprisesConfig(AppConfig):
    name = "backend.enterprises"
    label = "enterprises"

    def ready(self) -> None:
        from backend.accounts.profile import profile_part_add

        profile_part_add(_profile)


def _profile(user) -> dict:
    from backend import access

    # 我的 shows the company's name: the enterprise user has no org unit to show instead.
    enterprise = access.enterprises.enterprise_of(user)
    return {"enterprise_id": enterprise.id if enterprise else None, "enterprise_name": enterprise.name if enterprise else None}
