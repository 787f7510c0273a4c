from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InmatesConfig(AppConfig):
    name = "inmates"
    verbose_name = _("Warga Binaan")

    def ready(self) -> None:
        from inmates import notifications as inmate_notifications
        from rehab import notifications

        notifications.register(inmate_notifications.incoming_transfers)
        from inmates import views  # noqa: F401  registers the "today" section
        from rehab.audit import register_access_labels, register_action_labels

        register_access_labels(
            {
                "inmate.list.print": _("Mencetak daftar WBP"),
                "inmate.list.xlsx": _("Mengekspor daftar WBP (XLSX)"),
            }
        )
        register_action_labels(
            {
                "inmates.inmate.created.form": _("Data dibuat"),
                "inmates.inmate.created.import": _("Dibuat dari impor SDP"),
                "inmates.inmate.updated.form": _("Data diubah"),
                "inmates.inmate.updated.import": _("Diperbarui dari impor SDP"),
                "inmates.inmate.transferred": _("Dipindahkan ke UPT lain"),
                "inmates.inmate.transferred_outside": _("Dipindahkan ke UPT di luar rehab"),
                "inmates.inmate.released": _("Dibebaskan"),
                "inmates.inmate.subject_access": _("Data subjek diekspor (UU PDP)"),
                "inmates.inmate.anonymised": _("Dianonimkan (masa retensi habis)"),
            }
        )
