"""The family's own language on the family's pages; the clinic's language everywhere else.

A family member's pages (the diary, today's medicines and feeds, the printouts, the joining and
password pages), the messages those pages show and the family's PDFs are in the language of
their account (``User.language``, chosen at joining and changeable on the diary page); every
other page stays in the clinic's language (``settings.LANGUAGE_CODE``).
:class:`FamilyLanguageMiddleware` decides per request, after the access check:

- a signed-in family member: their language on every page they may open;
- a clinician on a family printout (HTML or PDF, printed to give to the family): the language
  asked for (``?lang=``, one of ``settings.LANGUAGES``), else the language of the child's
  family (:func:`child_language`), else the clinic's;
- the joining page (nobody signed in yet): ``?lang=`` or the language chosen in its form;
- any other page: the clinic's language.

A language is a catalogue (``spasmcare/web/locale/<code>/LC_MESSAGES/django.po`` and its
compiled ``.mo``) and a line of ``settings.LANGUAGES``, not code. Every catalogue carries a
"reviewed by the clinic" state (:func:`review_state`): the SHA-256 of its messages as the app
serves them (the compiled ``.mo``), confirmed by a clinician (:class:`CatalogueReview`: who and
when); a changed translation has a new hash and needs a new confirmation.
"""

from __future__ import annotations

import gettext
import hashlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from spasmcare.web.accounts.models import CatalogueReview
from spasmcare.web.clinic.models import Patient, Role, User

#: The app's translation catalogues (the app's own ``locale`` directory, which Django finds).
LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"

#: URL names of the family's pages: a family member sees them in their own language.
FAMILY_PAGES = frozenset(
    {
        "home",
        "family_home",
        "family_diary",
        "family_log",
        "family_video",
        "family_print",
        "family_print_pdf",
        "family_js_words",
        "password_change",
        "account_language",
        "logout",
    }
)
#: Family printouts: a clinician prints them in the family's language.
FAMILY_PRINTOUTS = frozenset({"family_print", "family_print_pdf"})
#: Pages open before signing in that a family opens (the invitation link).
JOIN_PAGES = frozenset({"invitation_accept"})


def languages() -> dict[str, str]:
    """Code -> the language's own name, as ``settings.LANGUAGES`` lists them."""
    return {code: str(name) for code, name in settings.LANGUAGES}


def clinic_language() -> str:
    return str(settings.LANGUAGE_CODE)


def known(code: Any) -> str | None:
    """``code`` when it is one of the family languages, else None."""
    return code if isinstance(code, str) and code in languages() else None


def user_language(user: User) -> str:
    """A family member's language (blank or unknown: the clinic's)."""
    return known(user.language) or clinic_language()


def child_language(patient: Patient) -> str:
    """The language of a child's family: the one most of its family accounts chose (the
    clinic's when none chose one)."""
    chosen = Counter(
        code
        for code in patient.family.filter(role=Role.FAMILY).values_list("language", flat=True)
        if known(code)
    )
    return chosen.most_common(1)[0][0] if chosen else clinic_language()


def page_language(request: HttpRequest, url_name: str) -> str | None:
    """The language of the page ``url_name`` for this request; None: the clinic's."""
    user = getattr(request, "user", None)
    if url_name in JOIN_PAGES:
        return known(request.POST.get("language")) or known(request.GET.get("lang"))
    if user is None or not user.is_authenticated or not isinstance(user, User):
        return None
    if user.role == Role.FAMILY:
        return user_language(user) if url_name in FAMILY_PAGES else None
    if url_name in FAMILY_PRINTOUTS:
        patient = getattr(request, "patient", None)
        asked = known(request.GET.get("lang"))
        return asked or (child_language(patient) if patient is not None else None)
    return None


def diary_context(user: User, patient: Patient) -> dict[str, Any]:
    """For the diary page: the language chooser (a family member), or the state of the
    family's translation when it waits for the clinic's review (a clinician)."""
    if user.role == Role.FAMILY:
        return {"languages": languages(), "language_now": translation.get_language()}
    code = child_language(patient)
    if code == clinic_language():
        return {}
    return {"translation_review": review_state(code)}


class FamilyLanguageMiddleware:
    """Activate the family's language for the family's pages (:func:`page_language`); every
    other page, and the thread after the response, stays in the clinic's language."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            response = self.get_response(request)
            code = getattr(request, "family_language", None)
            if code:
                response.headers.setdefault("Content-Language", code)
            return response
        finally:
            translation.deactivate()

    def process_view(
        self, request: HttpRequest, view: Any, args: Any, kwargs: dict[str, Any]
    ) -> None:
        match = getattr(request, "resolver_match", None)
        code = page_language(request, match.url_name if match else "")
        if code and code != clinic_language():
            translation.activate(code)
            request.family_language = code
        return None


# --------------------------------------------------------------------------- reviews


def catalogue_file(code: str) -> Path:
    return LOCALE_DIR / translation.to_locale(code) / "LC_MESSAGES" / "django.mo"


@lru_cache(maxsize=16)
def _messages(path: Path, mtime_ns: int) -> dict[Any, Any]:
    with path.open("rb") as handle:
        catalog: dict[Any, Any] = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    return catalog


def catalogue_messages(code: str) -> dict[Any, Any]:
    """The messages the app serves in ``code`` (msgid -> msgstr, plural forms keyed by
    (msgid, n)), without the header; {} when there is no catalogue."""
    path = catalogue_file(code)
    if not path.is_file():
        return {}
    found = _messages(path, path.stat().st_mtime_ns)
    return {k: v for k, v in found.items() if k != ""}


def catalogue_sha256(code: str) -> str:
    """SHA-256 of a catalogue's messages (sorted, so a rebuild that only moves lines keeps it);
    "" when there is no catalogue."""
    found = catalogue_messages(code)
    if not found:
        return ""
    digest = hashlib.sha256()
    for key, value in sorted(found.items(), key=lambda kv: repr(kv[0])):
        digest.update(repr((key, value)).encode("utf-8"))
    return digest.hexdigest()


@dataclass(frozen=True)
class ReviewState:
    """One language's catalogue and whether the clinic has confirmed it as it is now."""

    code: str
    name: str
    messages: int
    sha256: str
    review: CatalogueReview | None  # the confirmation of this very catalogue, if any
    earlier: CatalogueReview | None  # the latest confirmation of an older catalogue

    @property
    def reviewed(self) -> bool:
        return self.review is not None


def review_state(code: str) -> ReviewState:
    sha = catalogue_sha256(code)
    rows = CatalogueReview.objects.filter(language=code).select_related("confirmed_by")
    return ReviewState(
        code=code,
        name=languages().get(code, code),
        messages=len(catalogue_messages(code)),
        sha256=sha,
        review=rows.filter(catalogue_sha256=sha).first() if sha else None,
        earlier=rows.exclude(catalogue_sha256=sha).first(),
    )


def review_states() -> list[ReviewState]:
    """Every translated language's state (the clinic's own language is the source, not a
    translation)."""
    return [review_state(code) for code in languages() if code != clinic_language()]


def unreviewed(code: str) -> bool:
    """True when ``code`` is a translation the clinic has not confirmed as it is now."""
    return code != clinic_language() and not review_state(code).reviewed


def confirm(code: str, sha256: str, user: User) -> CatalogueReview:
    """Record that ``user`` confirmed the catalogue of ``code`` whose hash the page showed
    (``sha256``); a catalogue changed since is refused (ValueError) so nobody confirms what
    they did not read."""
    current = catalogue_sha256(code)
    if known(code) is None or not current:
        raise ValueError(f"Language: {code!r} is not accepted: one of the translated languages.")
    if sha256 != current:
        raise ValueError(
            "The translation changed since the page was shown: nothing was confirmed. "
            "Read it again and confirm."
        )
    row, _ = CatalogueReview.objects.get_or_create(
        language=code, catalogue_sha256=current, defaults={"confirmed_by": user}
    )
    return row
