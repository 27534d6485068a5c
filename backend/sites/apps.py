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

    return {"owner_unit_id": access.sites.owner_unit_id_of(user)}


def _changed(**kwargs) -> None:
    from .services import sites_changed

    sites_changed()
