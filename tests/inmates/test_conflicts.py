"""Two people editing one WBP record with its case articles: the second save over an older form
answers 409, names who saved and when, shows the stored values, keeps what was typed (articles
included) and replaces nothing."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse

from inmates.forms import INMATE_FIELDS
from inmates.models import Inmate
from tests.conflicts import MISSING_VERSION, race, two_editors
from tests.factories import CaseArticleFactory, InmateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def inmate(facility_a: Any) -> Inmate:
    inmate = InmateFactory(facility=facility_a, occupation="Petani", block="A")
    CaseArticleFactory(inmate=inmate, position=0, article="114", paragraph="1", letter="")
    CaseArticleFactory(inmate=inmate, position=1, article="132", paragraph="1", letter="")
    return inmate


def edit_data(inmate: Inmate, version: str | None, **overrides: str) -> dict[str, str]:
    """What the edit form posts: the record as stored, its two article rows, the overrides."""
    data = {}
    for name in INMATE_FIELDS:
        value = getattr(inmate, name)
        data[name] = value.isoformat() if isinstance(value, datetime.date) else str(value or "")
    data.update({"articles-TOTAL_FORMS": "2", "articles-INITIAL_FORMS": "2"})
    for i, article in enumerate(inmate.articles.order_by("position")):
        row = {"id": str(article.pk), "article": article.article,
               "paragraph": article.paragraph, "letter": ""}  # fmt: skip
        data.update({f"articles-{i}-{name}": value for name, value in row.items()})
    if version is not None:
        data["version"] = version
    return {**data, **overrides}


def as_new_rows(data: dict[str, str]) -> dict[str, str]:
    """What the refused page posts back: the typed article rows as new rows."""
    kept = {k: v for k, v in data.items() if not k.endswith("-id")}
    return {**kept, "articles-INITIAL_FORMS": "0"}


def test_the_second_editor_gets_a_conflict_and_no_article_is_replaced(
    clock: Any, facility_a: Any, inmate: Inmate
) -> None:
    ani, budi = two_editors(facility_a, "staff")
    url = reverse("inmates:edit", args=[inmate.pk])
    typed = edit_data(inmate, None, occupation="Sopir truk", **{"articles-1-article": "127"})
    response, fresh = race(
        clock=clock, form_url=url, ani=ani, budi=budi,
        first=lambda v: edit_data(inmate, v, block="B", **{"articles-0-article": "112"}),
        second=lambda v: {**typed, "version": v},
    )  # fmt: skip
    page = response.content.decode()
    assert 'value="Sopir truk"' in page and 'value="127"' in page  # what Budi typed
    assert "Pasal perkara" in page and "Pasal 112 ayat (1)" in page  # what Ani stored
    assert 'name="articles-INITIAL_FORMS" value="0"' in page
    inmate.refresh_from_db()
    assert (inmate.block, inmate.occupation) == ("B", "Petani")
    assert list(inmate.articles.values_list("article", flat=True)) == ["112", "132"]
    merged = as_new_rows({**typed, "block": "B", "articles-0-article": "112", "version": fresh})
    assert budi.post(url, merged).status_code == 302
    inmate.refresh_from_db()
    assert (inmate.block, inmate.occupation, inmate.version) == ("B", "Sopir truk", 3)
    assert list(inmate.articles.values_list("article", flat=True)) == ["112", "127"]


def test_an_edit_without_the_version_is_refused_and_nothing_is_replaced(
    facility_a: Any, inmate: Inmate
) -> None:
    ani, _budi = two_editors(facility_a, "staff")
    articles = list(inmate.articles.values_list("pk", flat=True))
    response = ani.post(reverse("inmates:edit", args=[inmate.pk]), edit_data(inmate, None))
    assert response.status_code == 200 and MISSING_VERSION in response.content.decode()
    inmate.refresh_from_db()
    assert inmate.version == 1 and list(inmate.articles.values_list("pk", flat=True)) == articles
