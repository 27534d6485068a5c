from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "backend.workdays"
    label = "workdays"
    verbose_name = "工作日历"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from . import selectors
        from .models import YearSchedule

        # Any write, from the API, the admin site or a shell, drops the cached schedules.
        for signal in (post_save, post_delete):
            signal.connect(selectors.schedule_changed, sender=YearSchedule, dispatch_uid=f"workdays-{signal}")
