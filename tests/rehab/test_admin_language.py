"""The admin reads in Indonesian, the third-party apps included (issue 16 point 6): axes,
django-celery-beat and django-otp ship English names, renamed in rehab/apps.py."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils.text import capfirst

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# The English the packages ship, as the admin printed it before.
ENGLISH = [
    "Periodic tasks", "Periodic Tasks", "Access attempts", "Crontabs", "Intervals", "Clocked",
    "Solar events", "Access logs", "Access failures", "Axes", "AXES", "TOTP devices",
    "Static devices", "Otp_Totp", "Otp_Static", "Administrasi Django",
]  # fmt: skip


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def root(client: Client) -> Client:
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    return client


def admin_pages() -> list[str]:
    labels = sorted({model._meta.app_label for model in admin.site._registry})
    return [reverse("admin:index")] + [
        reverse("admin:app_list", kwargs={"app_label": label}) for label in labels
    ]


def test_the_admin_index_and_every_app_index_read_in_indonesian(root: Client) -> None:
    pages = admin_pages()
    assert len(pages) > 8
    for url in pages:
        response = root.get(url)
        assert response.status_code == 200, url
        text = text_of(response.content.decode())
        found = [word for word in ENGLISH if word in text]
        assert not found, f"{url}: {found}"


@pytest.mark.parametrize(
    ("app_label", "name"),
    [
        ("axes", "Pengamanan masuk akun"),
        ("django_celery_beat", "Jadwal tugas otomatis"),
        ("otp_totp", "Verifikasi dua langkah: aplikasi autentikator"),
        ("otp_static", "Verifikasi dua langkah: kode cadangan"),
    ],
)
def test_each_third_party_app_and_its_models_have_an_indonesian_name(
    root: Client, app_label: str, name: str
) -> None:
    config = apps.get_app_config(app_label)
    assert str(config.verbose_name) == name
    text = text_of(root.get(reverse("admin:app_list", args=[app_label])).content.decode())
    assert name in text
    for model in config.get_models():
        if model in admin.site._registry:
            assert capfirst(str(model._meta.verbose_name_plural)) in text


def test_the_list_of_periodic_tasks_is_titled_in_indonesian(root: Client) -> None:
    text = text_of(
        root.get(reverse("admin:django_celery_beat_periodictask_changelist")).content.decode()
    )
    assert "tugas terjadwal" in text
    assert "periodic task" not in text.lower()


def test_renaming_the_models_asks_for_no_migration() -> None:
    out = StringIO()
    call_command(
        "makemigrations", "axes", "django_celery_beat", "otp_totp", "otp_static",
        check=True, dry_run=True, stdout=out,
    )  # fmt: skip
    assert "No changes detected" in out.getvalue()


@pytest.mark.parametrize("app_label", ["axes", "django_celery_beat", "otp_totp", "otp_static"])
def test_the_lists_of_the_renamed_models_name_them_in_indonesian(
    root: Client, app_label: str
) -> None:
    for model in apps.get_app_config(app_label).get_models():
        if model not in admin.site._registry:
            continue
        url = reverse(f"admin:{app_label}_{model._meta.model_name}_changelist")
        text = text_of(root.get(url).content.decode())
        assert capfirst(str(model._meta.verbose_name_plural)) in text, url
        found = [word for word in ENGLISH if word in text]
        assert not found, f"{url}: {found}"
