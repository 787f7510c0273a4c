from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InmatesConfig(AppConfig):
    name = "inmates"
    verbose_name = _("Warga Binaan")

    def ready(self) -> None:
        from inmates import views  # noqa: F401  registers the "today" section
