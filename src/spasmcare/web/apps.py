from django.apps import AppConfig


class ClinicConfig(AppConfig):
    name = "spasmcare.web"
    label = "clinic"
    verbose_name = "spasmcare clinic"
    default_auto_field = "django.db.models.BigAutoField"
