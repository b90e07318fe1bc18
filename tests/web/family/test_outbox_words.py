"""The offline outbox speaks the family's language (issue 26): its words come from the app's
script catalogue (``djangojs``), served to the family's phone in the family's language; without
it (the offline shell) the script falls back to English."""

from __future__ import annotations

import gettext
import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

import spasmcare.web
from spasmcare.web.models import User
from tests.web.po_catalogue import LOCALE, catalogue

OUTBOX_JS = Path(spasmcare.web.__file__).parent / "static" / "web" / "outbox.js"
TRANSLATED = ("es", "ar")


@pytest.mark.parametrize("code", TRANSLATED)
def test_script_catalogue_is_complete_without_numbers(code: str) -> None:
    entries = catalogue(code, "djangojs")
    assert len(entries) >= 15
    assert [e.msgid for e in entries if not all(e.translations) or "fuzzy" in e.flags] == []
    assert {e.msgid for e in entries} == {e.msgid for e in catalogue("es", "djangojs")}
    for e in entries:
        # placeholders kept, and no number written by hand into a translation
        assert set(re.findall(r"%\(\w+\)s", e.msgid)) == set(
            re.findall(r"%\(\w+\)s", e.translations[0])
        ), e.msgid
        assert not any(unicodedata.category(c) == "Nd" for c in e.translations[0]), e.msgid
    with (LOCALE / code / "LC_MESSAGES" / "djangojs.mo").open("rb") as handle:
        served = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    assert {k: v for k, v in served.items() if k != ""} == {
        e.msgid: e.translations[0] for e in entries
    }


def test_every_word_the_outbox_shows_goes_through_the_catalogue() -> None:
    script = OUTBOX_JS.read_text(encoding="utf-8")
    shown = re.findall(r'(?:line\([a-z]+, |note = |textContent = )"([^"]+)"', script)
    assert shown == []  # every text a person reads is _("...") or fill(_("..."), ...)
    in_catalogue = {e.msgid for e in catalogue("es", "djangojs")}
    called = set(re.findall(r'_\("((?:[^"\\]|\\.)*)"\)', script))
    assert called and called <= in_catalogue


def test_a_spanish_family_gets_the_outbox_words_in_spanish(
    users: dict[str, User], patient: Any
) -> None:
    family = users["family"]
    family.language = "es"
    family.save(update_fields=["language"])
    client = Client()
    client.force_login(family)
    diary = client.get(f"/family/{patient.pk}/").content.decode()
    words_at, outbox_at = diary.index('src="/family/words.js"'), diary.index("web/outbox")
    assert words_at < outbox_at  # the words load before the script that shows them
    words = client.get("/family/words.js")
    assert words.status_code == 200
    assert "registros pendientes de enviar" in words.content.decode()


def test_the_words_are_rendered_once_per_language(
    users: dict[str, User], patient: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The diary asks for its script's words on every load: the catalogue is rendered once per
    language and process, not once per request."""
    from spasmcare.web.family import offline_views

    rendered: list[str] = []
    real = offline_views._CATALOGUE

    def counting(request: Any) -> Any:
        rendered.append(request.path)
        return real(request)

    monkeypatch.setattr(offline_views, "_CATALOGUE", counting)
    monkeypatch.setattr(offline_views, "_WORDS", {})
    family = users["family"]
    client = Client()
    client.force_login(family)
    english = [client.get("/family/words.js").content for _ in range(3)]
    family.language = "es"
    family.save(update_fields=["language"])
    spanish = [client.get("/family/words.js").content for _ in range(3)]
    assert len(rendered) == 2  # one English, one Spanish
    assert len(set(english)) == 1 and len(set(spanish)) == 1 and english[0] != spanish[0]
    assert "registros pendientes de enviar" in spanish[0].decode()
