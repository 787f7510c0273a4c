"""The project's app configuration, and Indonesian names for the third-party apps of the admin.

django-axes, django-celery-beat and django-otp ship English app and model names (and their
Indonesian catalogues, where there is one, miss them), so the admin index read "Periodic tasks",
"Axes" and "TOTP devices". INSTALLED_APPS names the configs below instead of the packages: each
is the package's own config with an Indonesian name for the app and for each model the admin
lists. Only the names shown change (Options.verbose_name*); the models' original options, which
migrations read, stay as the packages wrote them, so no migration follows.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django_celery_beat.apps import BeatConfig

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise


class RehabConfig(AppConfig):
    # The module holds other configs too: without this, "rehab" in INSTALLED_APPS would get a
    # plain AppConfig and ready() (the access-log labels, the today section) would never run.
    default = True
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


def _rename(config: AppConfig, names: Mapping[str, tuple[_StrPromise, _StrPromise]]) -> None:
    """Give each named model of the app its Indonesian singular and plural name."""
    for model_name, (singular, plural) in names.items():
        meta = config.get_model(model_name)._meta
        meta.verbose_name, meta.verbose_name_plural = singular, plural


class AxesConfig(AxesAppConfig):
    # The failed sign-ins and the lock-out, apart from the project's own "Log akses" (who read
    # which record).
    verbose_name = _("Pengamanan masuk akun")

    def ready(self) -> None:
        super().ready()
        _rename(
            self,
            {
                "AccessAttempt": (_("percobaan masuk gagal"), _("percobaan masuk gagal")),
                "AccessLog": (_("riwayat masuk akun"), _("riwayat masuk akun")),
                "AccessFailureLog": (_("catatan gagal masuk"), _("catatan gagal masuk")),
                "AccessAttemptExpiration": (
                    _("masa berlaku percobaan masuk"),
                    _("masa berlaku percobaan masuk"),
                ),
            },
        )


class CeleryBeatConfig(BeatConfig):
    verbose_name = _("Jadwal tugas otomatis")

    def ready(self) -> None:
        super().ready()
        _rename(
            self,
            {
                "PeriodicTask": (_("tugas terjadwal"), _("tugas terjadwal")),
                "IntervalSchedule": (_("jadwal selang waktu"), _("jadwal selang waktu")),
                "CrontabSchedule": (_("jadwal kalender"), _("jadwal kalender")),
                "SolarSchedule": (_("jadwal peristiwa matahari"), _("jadwal peristiwa matahari")),
                "ClockedSchedule": (_("jadwal waktu tertentu"), _("jadwal waktu tertentu")),
            },
        )


class OtpStaticConfig(AppConfig):
    name = "django_otp.plugins.otp_static"
    label = "otp_static"
    default_auto_field = "django.db.models.AutoField"
    verbose_name = _("Verifikasi dua langkah: kode cadangan")

    def ready(self) -> None:
        _rename(
            self,
            {
                "StaticDevice": (_("perangkat kode cadangan"), _("perangkat kode cadangan")),
                "StaticToken": (_("kode cadangan"), _("kode cadangan")),
            },
        )


class OtpTotpConfig(AppConfig):
    name = "django_otp.plugins.otp_totp"
    label = "otp_totp"
    default_auto_field = "django.db.models.AutoField"
    verbose_name = _("Verifikasi dua langkah: aplikasi autentikator")

    def ready(self) -> None:
        _rename(
            self,
            {
                "TOTPDevice": (
                    _("perangkat aplikasi autentikator"),
                    _("perangkat aplikasi autentikator"),
                )
            },
        )
