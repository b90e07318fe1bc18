"""The family's pages in the family's language (issue 26): Spanish complete, Arabic right to
left, numbers never inside a translation, the clinic's own pages in the clinic's language, the
"reviewed by the clinic" state of each catalogue, and PDFs of the family sheets."""

from __future__ import annotations

import gettext
import io
import re
import unicodedata
from datetime import timedelta
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from spasmcare.web.accounts import languages
from spasmcare.web.clinic import records
from spasmcare.web.models import CatalogueReview, Patient, Role, User
from tests.web.conftest import PASSWORD
from tests.web.family.test_family import plan_the_vigabatrin, save_course
from tests.web.po_catalogue import LOCALE, catalogue, header

TRANSLATED = ("es", "ar")
#: The printouts a family gets (family_print pages), and ``all``.
PRINTOUTS = ("call", "medicines", "monitoring", "meals", "feed", "menu", "all")
#: Names, the same in every language.
NAMES = {"spasmcare"}
#: Placeholders, tags and entities: what a translation keeps from its msgid.
_CODE = re.compile(r"%\([a-z_]+\)[sd]|\{[a-z_]+\}|<[^>]+>|&[a-z]+;")
#: Date formats (Django's letters) are msgids too; they are never shown as they are.
_DATE_FORMAT = re.compile(r"^[DjlMFY\\ de]+$")


class _Visible(HTMLParser):
    """The words a page shows or reads out (text, aria-label, title, placeholder), leaving out
    scripts, styles and anything the page itself marks as English (``lang="en"``: the
    clinic's own sourced texts, such as warning signs and protocol notes)."""

    VOID = {"br", "img", "input", "meta", "link", "hr", "source"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.stack: list[bool] = []  # per open element: its text is left out

    def _hidden(self) -> bool:
        return bool(self.stack) and self.stack[-1]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        hidden = (
            self._hidden()
            or tag in ("script", "style", "title", "option")
            or (found.get("lang") or "").startswith("en")
        )
        if not hidden:
            for name in ("aria-label", "title", "placeholder"):
                if found.get(name):
                    self.parts.append(str(found[name]))
        if tag not in self.VOID:
            self.stack.append(hidden)

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not self._hidden():
            self.parts.append(data)


def visible(html: str) -> str:
    reader = _Visible()
    reader.feed(html)
    return re.sub(r"\s+", " ", " ".join(reader.parts))


def english_fragments() -> list[str]:
    """Every piece of English the Spanish catalogue translates differently: each msgid (and
    plural msgid) cut at its placeholders and tags, pieces of at least two words or one word
    of five letters or more."""
    out: set[str] = set()
    for e in catalogue("es"):
        if _DATE_FORMAT.match(e.msgid) or all(s == e.msgid for s in e.translations):
            continue
        for text in (e.msgid, e.msgid_plural):
            for piece in _CODE.split(text or ""):
                piece = piece.strip(" .,:;()·?–—“”'\"")
                words = re.findall(r"[A-Za-z']+", piece)
                if piece in NAMES:
                    continue
                if len(words) >= 2 or (len(words) == 1 and len(words[0]) >= 5):
                    out.add(piece)
    return sorted(out, key=len, reverse=True)


def english_left(page_text: str) -> list[str]:
    return [
        f
        for f in english_fragments()
        if re.search(rf"(?<![A-Za-z]){re.escape(f)}(?![A-Za-z])", page_text)
    ]


# --------------------------------------------------------------------------- catalogues


@pytest.mark.parametrize("code", TRANSLATED)
def test_catalogue_is_complete_and_nothing_is_fuzzy(code: str) -> None:
    entries = catalogue(code)
    head = header(code)
    assert "fuzzy" not in head.flags
    plural_forms = re.search(r"nplurals=(\d+)", head.msgstr[0])
    assert plural_forms is not None
    forms = int(plural_forms.group(1))
    assert len(entries) >= 250  # the family pages, printouts and messages
    untranslated = [e.msgid for e in entries if not all(e.translations)]
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags or e.obsolete]
    wrong_forms = [e.msgid for e in entries if e.msgid_plural and len(e.msgstr) != forms]
    assert untranslated == [] and fuzzy == [] and wrong_forms == []
    # the same messages in every language
    assert {(e.msgctxt, e.msgid) for e in entries} == {
        (e.msgctxt, e.msgid) for e in catalogue("es")
    }


@pytest.mark.parametrize("code", TRANSLATED)
def test_no_number_is_written_inside_a_translation(code: str) -> None:
    # numbers come from data, in the locale's format: a digit (any script) in a msgstr is a
    # number someone translated by hand
    written = [
        (e.msgid, s)
        for e in catalogue(code)
        for s in e.translations
        if any(unicodedata.category(c) == "Nd" for c in _CODE.sub("", s))
    ]
    assert written == []


@pytest.mark.parametrize("code", TRANSLATED)
def test_compiled_catalogue_is_the_po_file(code: str) -> None:
    # the app serves the committed .mo: it must say exactly what the reviewed .po says
    with (LOCALE / code / "LC_MESSAGES" / "django.mo").open("rb") as handle:
        served = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    expected: dict[Any, str] = {}
    for e in catalogue(code):
        key = e.msgid if e.msgctxt is None else f"{e.msgctxt}\x04{e.msgid}"
        if e.msgid_plural:
            expected |= {(key, n): s for n, s in e.msgstr.items()}
        else:
            expected[key] = e.msgstr[0]
    assert {k: v for k, v in served.items() if k != ""} == expected


def test_placeholders_are_kept_in_every_translation() -> None:
    for code in TRANSLATED:
        for e in catalogue(code):
            wanted = sorted(_CODE.findall(e.msgid_plural or e.msgid))
            for s in e.translations:
                kept = sorted(_CODE.findall(s))
                assert [p for p in wanted if not p.startswith("<")] == [
                    p for p in kept if not p.startswith("<")
                ], (code, e.msgid, s)


# --------------------------------------------------------------------------- pages


@pytest.fixture
def spanish(users: dict[str, User]) -> Client:
    family = users["family"]
    family.language = "es"
    family.first_name, family.last_name = "Lucía", "García"  # a name is not English
    family.save(update_fields=["language", "first_name", "last_name"])
    client = Client()
    client.force_login(family)
    return client


def _saved_plans(patient: Patient, users: dict[str, User], client_as: Any) -> None:
    """A saved course (prednisolone, four doses a day), the example's vigabatrin planned, and
    a saved keto plan with a meal and a feed."""
    from tests.web.keto.test_keto import save_meals_and_feed

    today = records.today()
    save_course(patient, users["neurologist"], "prednisolone-high-dose", today - timedelta(3), 7.5)
    plan_the_vigabatrin(patient, users["neurologist"])
    save_meals_and_feed(client_as, patient)


def test_every_family_page_and_printout_in_spanish_leaves_no_english(
    spanish: Client, patient: Patient, users: dict[str, User], client_as: Any, phones: Any
) -> None:
    _saved_plans(patient, users, client_as)
    pages = {"diary": reverse("family_diary", args=[patient.pk])}
    pages |= {p: reverse("family_print", args=[patient.pk, p]) for p in PRINTOUTS}
    pages["password"] = reverse("password_change")
    found: dict[str, list[str]] = {}
    for name, url in pages.items():
        response = spanish.get(url)
        assert response.status_code == 200, name
        html = response.content.decode()
        assert '<html lang="es" dir="ltr">' in html, name
        left = english_left(visible(html))
        if left:
            found[name] = left
    assert found == {}
    diary = visible(spanish.get(pages["diary"]).content.decode())
    # Spanish words, and the numbers from data in the locale's format: the vigabatrin dose of
    # test_family (525 mg = 10.5 mL of 50 mg/mL at 08:00 and 20:00) with a decimal comma
    assert "Medicamentos y tomas de hoy" in diary
    assert "vigabatrin 525 mg = 10,5 mL de 50 mg/mL" in diary
    assert "día 4 del tratamiento" in diary
    assert "10.5" not in diary


def test_messages_after_a_tap_are_in_the_family_language(spanish: Client, patient: Patient) -> None:
    page = spanish.get(reverse("family_diary", args=[patient.pk])).content.decode()
    nonce = re.search(r'name="nonce" value="([^"]+)"', page)
    assert nonce is not None
    spanish.post(
        reverse("family_log", args=[patient.pk]),
        {"action": "cluster", "spasms": "3", "nonce": nonce.group(1)},
    )
    text = visible(spanish.get(reverse("family_diary", args=[patient.pk])).content.decode())
    assert "Guardado: una salva de 3 espasmos a las" in text
    assert english_left(text) == []


def test_join_page_offers_the_languages_and_keeps_the_choice(
    patient: Patient, users: dict[str, User]
) -> None:
    from django.utils import timezone

    from spasmcare.web.accounts.models import Invitation
    from spasmcare.web.accounts.views import token_hash

    Invitation.objects.create(
        patient=patient,
        token_hash=token_hash("tok-es"),
        relationship="abuela",
        created_by=users["nurse"],
        expires_at=timezone.now() + timedelta(days=1),
    )
    client = Client()
    page = client.get("/join/tok-es/?lang=es").content.decode()
    assert f"Unirse al equipo de atención de {patient.name}" in page
    assert english_left(visible(page)) == []
    assert 'href="?lang=ar"' in page and 'value="es" selected' in page
    response = client.post(
        "/join/tok-es/",
        {
            "language": "ar",
            "first_name": "Lola",
            "username": "lola",
            "password1": "tulipanes-en-abril-2026",
            "password2": "tulipanes-en-abril-2026",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(username="lola").language == "ar"
    diary = client.get(response["Location"]).content.decode()
    assert '<html lang="ar" dir="rtl">' in diary


def test_arabic_diary_is_right_to_left_with_doses_left_to_right(
    users: dict[str, User], patient: Patient
) -> None:
    family = users["family"]
    family.language = "ar"
    family.save(update_fields=["language"])
    plan_the_vigabatrin(patient, users["neurologist"])
    client = Client()
    client.force_login(family)
    html = client.get(reverse("family_diary", args=[patient.pk])).content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "أدوية اليوم ورضعاته" in html
    # each quantity is kept left to right, so it reads "525 mg", never "mg 525"
    assert '<span class="qty" dir="ltr">525 mg</span>' in html
    assert '<span class="qty" dir="ltr">10,5 mL</span>' in html
    assert '<span class="fam-time" dir="ltr">08:00</span>' in html


def test_clinic_pages_stay_in_the_clinic_language(
    spanish: Client, client_as: Any, patient: Patient
) -> None:
    nurse = client_as("nurse")
    for url in (
        reverse("family_diary", args=[patient.pk]),
        reverse("patient_dashboard", args=[patient.pk]),
    ):
        html = nurse.get(url).content.decode()
        assert '<html lang="en-gb" dir="ltr">' in html
    # the family's own page in Spanish in the same process does not leak into the next request
    assert (
        '<html lang="es"'
        in spanish.get(reverse("family_diary", args=[patient.pk])).content.decode()
    )
    assert '<html lang="en-gb"' in nurse.get(reverse("patient_list")).content.decode()
    # a clinician printing a family sheet gets the family's language (or ?lang=)
    sheet = nurse.get(reverse("family_print", args=[patient.pk, "medicines"])).content.decode()
    assert '<html lang="es"' in sheet
    english = nurse.get(reverse("family_print", args=[patient.pk, "medicines"]) + "?lang=en-gb")
    assert '<html lang="en-gb"' in english.content.decode()


def test_family_changes_their_language(
    spanish: Client, users: dict[str, User], patient: Patient
) -> None:
    diary = reverse("family_diary", args=[patient.pk])
    response = spanish.post(reverse("account_language"), {"language": "ar", "next": diary})
    assert response.status_code == 302 and response["Location"] == diary
    users["family"].refresh_from_db()
    assert users["family"].language == "ar"
    refused = spanish.post(reverse("account_language"), {"language": "xx", "next": diary})
    assert refused.status_code == 302
    users["family"].refresh_from_db()
    assert users["family"].language == "ar"
    # a link elsewhere is not followed
    away = spanish.post(
        reverse("account_language"), {"language": "es", "next": "https://x.example/"}
    )
    assert away["Location"] == "/"


# --------------------------------------------------------------------------- reviews


def test_translation_is_marked_unreviewed_until_a_clinician_confirms_it(
    spanish: Client, client_as: Any, users: dict[str, User], patient: Patient
) -> None:
    nurse = client_as("nurse")
    diary = nurse.get(reverse("family_diary", args=[patient.pk])).content.decode()
    assert "not yet reviewed by the clinic" in diary
    settings_page = nurse.get(reverse("clinic_settings")).content.decode()
    state = languages.review_state("es")
    assert state.sha256 and state.sha256 in settings_page
    assert "Not yet reviewed by the clinic." in settings_page
    # a confirmation of another version of the catalogue is refused
    stale = nurse.post(reverse("translation_confirm", args=["es"]), {"sha256": "0" * 64})
    assert stale.status_code == 302 and not CatalogueReview.objects.exists()
    done = nurse.post(reverse("translation_confirm", args=["es"]), {"sha256": state.sha256})
    assert done.status_code == 302
    review = CatalogueReview.objects.get()
    assert (review.language, review.catalogue_sha256, review.confirmed_by) == (
        "es",
        state.sha256,
        users["nurse"],
    )
    assert languages.review_state("es").reviewed
    assert (
        "not yet reviewed"
        not in nurse.get(reverse("family_diary", args=[patient.pk])).content.decode()
    )
    assert languages.unreviewed("ar")
    # the family and the administrator cannot confirm
    assert (
        spanish.post(reverse("translation_confirm", args=["ar"]), {"sha256": "x"}).status_code
        == 403
    )
    assert client_as("admin").post(reverse("translation_confirm", args=["ar"])).status_code == 403


def test_a_changed_catalogue_needs_a_new_confirmation(
    users: dict[str, User], monkeypatch: Any
) -> None:
    state = languages.review_state("es")
    languages.confirm("es", state.sha256, users["nurse"])
    assert languages.review_state("es").reviewed
    changed = dict(languages.catalogue_messages("es")) | {"Diary": "Diario de espasmos"}
    monkeypatch.setattr(languages, "catalogue_messages", lambda code: changed)
    now = languages.review_state("es")
    assert not now.reviewed and now.earlier is not None


# --------------------------------------------------------------------------- PDFs


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))
    return text.replace("/ ", "/")  # a line broken after "mg/" is extracted with a space


def test_pdf_of_the_medicine_sheet_holds_the_same_doses_as_the_html(
    spanish: Client, patient: Patient, users: dict[str, User]
) -> None:
    plan_the_vigabatrin(patient, users["neurologist"])
    sheet = reverse("family_print", args=[patient.pk, "medicines"])
    html = spanish.get(sheet).content.decode()
    doses = [visible(cell) for cell in re.findall(r'<td class="dose"[^>]*>(.*?)</td>', html, re.S)]
    assert doses and any("mg" in d for d in doses)
    assert f'href="/patients/{patient.pk}/print/medicines.pdf"' in html
    response = spanish.get(reverse("family_print_pdf", args=[patient.pk, "medicines"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    for dose in doses:
        first = dose.split("(")[0].strip()  # the dose itself, without the syringe's note
        assert first in text, first
    # in Spanish: the page numbers' words, the name on every page, a decimal comma
    assert "Página 1 de" in text and patient.name in text and "10,5 mL" in text
    # laid out once: the same PDF again comes from the computed view
    again = spanish.get(reverse("family_print_pdf", args=[patient.pk, "medicines"]))
    assert again.content == response.content


def test_pdf_urls_follow_the_access_rules(
    users: dict[str, User], patient: Patient, other_team: Any
) -> None:
    from spasmcare.web.clinic import audit
    from tests.web.conftest import example_record

    data = example_record()
    data["patient"]["id"] = "other-0002"
    other = audit.import_record(data, other_team, None)
    family = Client()
    family.force_login(users["family"])
    for name, args in (
        ("family_print_pdf", [other.pk, "call"]),
        ("patient_report_pdf", [other.pk]),
    ):
        assert family.get(reverse(name, args=args)).status_code in (403, 404)
    stranger = User.objects.create_user("stranger", password=PASSWORD, role=Role.FAMILY)
    stranger.children.add(other)
    outside = Client()
    outside.force_login(stranger)
    assert (
        outside.get(reverse("family_print_pdf", args=[patient.pk, "medicines"])).status_code == 404
    )


def test_warning_signs_without_numbers_are_in_the_catalogue_the_others_marked_english(
    spanish: Client, patient: Patient, phones: Any
) -> None:
    from spasmcare.report.family import hormonal_signs, keto_signs
    from spasmcare.web.templatetags.family_words import CALL_WORDS

    # every sourced sign and action without a number is translated (a changed English text
    # fails here, so the catalogue follows the source); a sign with the clinic's thresholds in
    # it stays as the source wrote it, marked English, never with a hand-translated number
    texts = {t for s in hormonal_signs() + keto_signs() for t in (s.sign, s.action) if t}
    numberless = {t for t in texts if not re.search(r"\d", t)}
    assert numberless <= CALL_WORDS
    page = spanish.get(reverse("family_print", args=[patient.pk, "call"])).content.decode()
    assert "Con la dieta cetogénica" in page and "Siga el plan para el azúcar bajo" in page
    for sign in keto_signs():
        if re.search(r"\d", sign.sign):
            assert f'<span class="sheet-sign" lang="en">{sign.sign}</span>' in page


def test_arabic_pdf_is_right_to_left_with_its_words(
    users: dict[str, User], patient: Patient, phones: Any
) -> None:
    family = users["family"]
    family.language = "ar"
    family.save(update_fields=["language"])
    client = Client()
    client.force_login(family)
    response = client.get(reverse("family_print_pdf", args=[patient.pk, "call"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(response.content))
    assert str(reader.trailer["/Root"].get("/Lang")) == "ar"
    text = _pdf_text(response.content)
    assert patient.name in text
    assert any("\u0600" <= c <= "\u06ff" for c in text)  # Arabic letters, not missing glyphs
