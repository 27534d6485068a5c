from django.apps import AppConfig


class SitesConfig(AppConfig):
    name = "backend.sites"
    label = "sites"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from backend.accounts.profile import profile_part_add

        profile_part_add(_profile)

        from .models import Site

        # Any save or delete of a Site (admin, shell, services) bumps the data
        # version; bulk writes, which send no signals, call sites_changed() themselves.
        post_save.connect(_changed, sender=Site, dispatch_uid="sites_changed_on_save")
        post_delete.connect(_changed, sender=Site, dispatch_uid="sites_changed_on_delete")


def _profile(user) -> dict:
    from backend import access

    from .models import OwnerUnit

    # 我的 shows the unit's name: an owner account has no org unit to show instead.
    unit_id = access.sites.owner_unit_id_of(user)
    name = OwnerUnit.objects.filter(id=unit_id).values_list("name", flat=True).first() if unit_id else None
    return {"owner_unit_id": unit_id, "owner_unit_name": name}


def _changed(**kwargs) -> None:
    from .services import sites_changed

    sites_changed()
