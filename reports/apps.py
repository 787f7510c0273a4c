from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Laporan")

    def ready(self) -> None:
        from rehab.audit import register_access_labels, register_action_labels
        from reports import views  # noqa: F401  registers the today section

        register_access_labels(
            {
                "report.xlsx": _("Mengunduh laporan (XLSX)"),
                "report.csv": _("Mengunduh laporan (CSV)"),
                "report.recap": _("Mengunduh rekap klien BNN (XLSX)"),
                "report.tdi.csv": _("Mengekspor TDI 3.0 EMCDDA (CSV)"),
                "report.tdi.xlsx": _("Mengekspor TDI 3.0 EMCDDA (XLSX)"),
                "report.fhir": _("Mengunduh bundel FHIR untuk SATUSEHAT"),
            }
        )
        register_action_labels(
            {
                "reports.report.generated": _("Laporan dibuat"),
                "reports.report.narrative": _("Uraian laporan disimpan"),
                "reports.report.signed": _("Laporan ditandatangani"),
                "reports.summary.refreshed": _("Ringkasan bulanan dihitung ulang"),
            }
        )
