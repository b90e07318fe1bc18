"""What people read on every page and printout of the demo clinic, as each role (issue 19):
no ISO dates, no internal ids and no code names in the visible text.

The demo clinic is loaded as the ``demo`` command loads it; each role's client starts at its
home page and follows every link on the site it is shown (a crawl, so a page added later is
scanned without listing it here). Entry pages (edit, history, retract) are visited for a few
entries of every kind. The visible text is the HTML without ``<script>``, ``<style>``, tags
and attributes: ids and ISO dates may sit in attributes (``datetime=""``, ``value=""``,
links), where machines read them.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterator
from urllib.parse import urldefrag, urlsplit

import pytest
from django.test import Client

from spasmcare.demo import demo_clinic
from spasmcare.keto.fluids import FLUID_RULES
from spasmcare.keto.protein import PROTEIN_REFERENCES
from spasmcare.record.model import DIET_LABELS
from spasmcare.therapy import list_protocols
from spasmcare.web.clinic import records
from spasmcare.web.models import User
from spasmcare.web.operations import demo

#: Code names people have seen on screen and their kind; each is found by the patterns below.
PATTERNS: dict[str, re.Pattern[str]] = {
    "ISO date": re.compile(r"\b\d{4}-\d{2}-\d{2}"),
    "snake_case code": re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b"),
    "kebab-case code with a number": re.compile(r"\b[a-z][a-z]*(?:-[a-z]+)*-\d+(?:-[a-z0-9]+)*\b"),
    # "NOT FOUND" is not among them: it is an evidence grade (beside FIRM and SECONDARY)
    "data-quality mark": re.compile(r"\[D\]|\bVERIFY\b|\(issue \d+\)"),
    "nutrient code": re.compile(r"\b[A-Z]+:[a-z_]+="),
    "food table code": re.compile(r"(?<![\w./])\d{5} \("),
    "Python value": re.compile(r"\bNone\b"),
    # an item listed by its id ("id: pred1; drug: ..."); the record number is "record id: "
    "item listed by id": re.compile(r"(?<!record )\bid: "),
}

#: Stored codes that are not words: protocol ids, diet codes, fluid and protein rule names,
#: short codes of etiologies and measures.
ABBREVIATIONS = {"tsc", "bhb", "iom", "perc", "lgit", "mct-oil"}


def _known_codes() -> set[str]:
    codes = {p.id for p in list_protocols()} | set(FLUID_RULES) | set(PROTEIN_REFERENCES)
    codes |= set(DIET_LABELS)
    # a one-word code that is also the word ("vigabatrin") reads as a word
    return {c for c in codes if "-" in c} | ABBREVIATIONS


#: What may appear although it matches, and why (keep it short).
ALLOWED: dict[str, str] = {
    # the hospital record number: clinicians match it against the hospital's other systems
    "demo-0": "record number",
    # Django admin's own wording for an empty list ("My actions: None available")
    "None available": "Django admin",
    # a source's citation key, the label its references link to (like "[Lux 2004]")
    "pedneurbriefs-26-1-4": "citation key",
}

#: English compounds that look like codes: "the day-14 EEG", "no day-7 decision".
ENGLISH = re.compile(r"^day-\d+$")


def visible_text(page: str) -> str:
    """The text a reader sees: no script, style or template content, no tags or attributes.
    ``<code>`` marks an identifier shown on purpose (a cohort pseudonym; a protocol file's
    id, version and hash where the planner states which file it used): left out too."""
    body = re.sub(
        r"<(script|style|template|code)\b[^>]*>.*?</\1>", " ", page, flags=re.S | re.I
    )
    body = re.sub(r"<!--.*?-->", " ", body, flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", " ", body))
    return re.sub(r"\s+", " ", text)


def _inside(text: str, m: re.Match[str], allowed: str) -> bool:
    """True when the match lies within an occurrence of ``allowed`` in ``text``."""
    start = text.find(allowed, max(0, m.start() - len(allowed)))
    return start != -1 and start <= m.start() and m.end() <= start + len(allowed)


def leaks(text: str, codes: set[str], ids: set[str]) -> list[str]:
    """Each code name, id or ISO date in ``text``, with a little context."""
    found = []

    def note(kind: str, m: re.Match[str]) -> None:
        around = text[max(0, m.start() - 40) : m.end() + 40]
        if any(a in m.group(0) or _inside(text, m, a) for a in ALLOWED):
            return
        if ENGLISH.match(m.group(0)):
            return
        found.append(f"{kind}: {m.group(0)!r} in “…{around}…”")

    for kind, pattern in PATTERNS.items():
        for m in pattern.finditer(text):
            note(kind, m)
    # a code inside a file name ("prednisolone-high-dose.v3.yaml", the clinic's protocol file
    # named for its audit trail) is not a code shown as a word
    words = re.compile(r"(?<![\w/.-])[a-z][a-z0-9]*(?:-[a-z0-9]+)*(?![\w/-]|\.\w)")
    for m in words.finditer(text):
        if m.group(0) in codes:
            note("code name", m)
        elif m.group(0) in ids:
            note("record id", m)
    return found


#: Links not followed: downloads (not read on screen), signing out, and other people's
#: password links.
SKIP = re.compile(
    r"\.(png|json|csv|zip|ics|ndjson)(\?|$)|/logout/|/videos/|/reset/|/join/|/static/"
    r"|/admin/(logout|password_change|jsi18n|r/)"
)
#: Visits per page shape (the path with its numbers replaced): every entry has an edit,
#: history and retract page; a few of each kind per patient show how entries read.
PER_SHAPE = 6


def _shape(path: str) -> str:
    return re.sub(r"\d+", "#", path)


def crawl(client: Client, start: str) -> Iterator[tuple[str, str]]:
    """Every page reachable from ``start`` by following links (GET), as (url, html)."""
    seen: set[str] = set()
    shapes: Counter[str] = Counter()
    queue = [start]
    while queue:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code in (301, 302):
            queue.append(response["Location"])
            continue
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        page = response.content.decode()
        yield url, page
        for href in re.findall(r'href="([^"]+)"', page):
            target = urldefrag(html.unescape(href))[0]
            parts = urlsplit(target)
            if parts.scheme or parts.netloc or not target.startswith("/"):
                continue
            if SKIP.search(target) or target in seen:
                continue
            shape = _shape(parts.path) + ("?" if parts.query else "")
            if shapes[shape] >= PER_SHAPE and re.search(r"\d", parts.path + parts.query):
                continue
            shapes[shape] += 1
            queue.append(target)


@pytest.mark.django_db
def test_every_page_reads_as_words() -> None:
    today = records.today()
    demo.load_demo_clinic(today, "a-long-demo-password-1", progress=lambda _: None)
    ids: set[str] = set()
    for infant in demo_clinic(today):
        for items in infant.record.values():
            if isinstance(items, list):
                ids |= {str(i["id"]) for i in items if isinstance(i, dict) and "id" in i}
    codes = _known_codes()
    problems: list[str] = []
    pages = 0
    for username in demo.LOGINS:
        client = Client()
        client.force_login(User.objects.get(username=username))
        for url, page in crawl(client, "/"):
            pages += 1
            for leak in leaks(visible_text(page), codes, ids):
                problems.append(f"{username} {url}: {leak}")
    assert pages > 50
    assert not problems, f"{len(problems)} leaks:\n" + "\n".join(problems)
