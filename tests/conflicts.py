"""Two people editing one record: the helpers of the conflict tests (tests/<app>/test_conflicts.py).

Ani and Budi open the same form; Ani saves five minutes later; Budi then saves what he typed
over the version he opened, and must get a 409 naming Ani and the time of her save.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any

from django.http import HttpResponse
from django.test import Client

from tests.factories import MembershipFactory, UserFactory

# The clock fixture's instant plus five minutes, as facility A (WITA) shows it.
ANI_SAVED = "Data ini sudah diubah oleh Ani Wulandari pada 20/11/2026 11.05 WITA"
MISSING_VERSION = "Formulir ini tidak membawa versi data yang dibuka"


def two_editors(facility: Any, role: str) -> tuple[Client, Client]:
    """Return signed-in clients for Ani and Budi, both holding `role` in the facility."""
    clients = []
    for first, last in (("Ani", "Wulandari"), ("Budi", "Prasetyo")):
        user = UserFactory(username=f"{first.lower()}.{role}", first_name=first, last_name=last)
        MembershipFactory(user=user, facility=facility, role=role)
        client = Client()
        client.force_login(user)
        clients.append(client)
    return clients[0], clients[1]


def version_in(page: str) -> str:
    """Return the version the form on the page carries."""
    found = re.search(r'name="version" value="(\d+)"', page)
    assert found, "the form carries no version"
    return found[1]


def race(
    *,
    clock: Any,
    form_url: str,
    post_url: str | None = None,
    ani: Client,
    budi: Client,
    first: Callable[[str], dict[str, Any]],
    second: Callable[[str], dict[str, Any]],
) -> tuple[HttpResponse, str]:
    """Both open the form; Ani saves `first(version)` five minutes later, then Budi saves
    `second(version)`. Return Budi's response and the version his refused page carries."""
    opened = version_in(ani.get(form_url).content.decode())
    assert version_in(budi.get(form_url).content.decode()) == opened
    clock.shift(datetime.timedelta(minutes=5))
    saved = ani.post(post_url or form_url, first(opened))
    assert saved.status_code == 302, saved.content.decode()[:2000]
    clock.shift(datetime.timedelta(minutes=2))
    response = budi.post(post_url or form_url, second(opened))
    assert response.status_code == 409
    page = response.content.decode()
    assert ANI_SAVED in page and "Versi tersimpan" in page
    fresh = version_in(page)
    assert fresh != opened
    return response, fresh
