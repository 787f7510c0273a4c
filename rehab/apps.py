from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RehabConfig(AppConfig):
    name = "rehab"
    verbose_name = _("Organisasi")

    def ready(self) -> None:
        from rehab import views  # noqa: F401  registers the "today" section
        from rehab.audit import register_access_labels, register_action_labels

        register_access_labels(
            {
                "pdf.download": _("Mengunduh PDF"),
                "accesslog.print": _("Mencetak log akses"),
                "accesslog.xlsx": _("Mengekspor log akses (XLSX)"),
            }
        )
        register_action_labels(
            {
                "rehab.membership.granted": _("Peran diberikan"),
                "rehab.facility.created": _("UPT dibuat"),
                "rehab.membership.self_granted": _(
                    "Pemberian peran klinis oleh admin kepada dirinya sendiri"
                ),
                "rehab.membership.self_grant_acknowledged": _(
                    "Pemberian peran klinis kepada diri sendiri diketahui Kepala Rutan"
                ),
                "rehab.membership.changed": _("Peran diubah"),
                "rehab.membership.revoked": _("Peran dicabut"),
                "rehab.membership.deleted": _("Peran dihapus"),
                "rehab.user.created": _("Akun dibuat"),
                "rehab.user.changed": _("Akun diubah"),
                "rehab.user.activated": _("Akun diaktifkan"),
                "rehab.user.deactivated": _("Akun dinonaktifkan"),
                "rehab.user.password_changed": _("Kata sandi diganti pemiliknya"),
                "rehab.user.password_reset": _("Kata sandi diatur ulang"),
                "rehab.user.password_disabled": _("Masuk dengan kata sandi dimatikan"),
                "rehab.profile.changed": _("Pangkat/golongan atau NIP diubah"),
                "rehab.notification_preference.updated": _("Pengaturan notifikasi diubah"),
            }
        )
