from django.apps import AppConfig
from django.core.signals import request_finished


class ClinicConfig(AppConfig):
    name = "spasmcare.web"
    label = "clinic"
    verbose_name = "spasmcare clinic"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from spasmcare.web.patients.refresh import refresh_pending

        # after the response went out: the written patients' summaries
        # (spasmcare.web.patients.refresh)
        request_finished.connect(refresh_pending, dispatch_uid="spasmcare-refresh-summaries")
