"""A small reader of gettext ``.po`` catalogues (polib is not a dependency): each entry's
context, msgid, plural msgid, msgstr forms and flags, as the tests of the family's languages
need them."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

LOCALE = Path(__file__).resolve().parents[2] / "src" / "spasmcare" / "web" / "locale"


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str = ""
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False

    @property
    def translations(self) -> list[str]:
        return [self.msgstr[k] for k in sorted(self.msgstr)]


def _string(line: str) -> str:
    text: str = ast.literal_eval(line)
    return text


def parse(text: str) -> list[Entry]:
    """Every entry of a ``.po`` text, the header (msgid "") included first."""
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int] | None = None
    for raw in text.splitlines() + [""]:
        line = raw.strip()
        if not line:
            if current is not None:
                entries.append(current)
            current, target = None, None
            continue
        if current is None:
            current = Entry()
        if line.startswith("#~"):
            current.obsolete = True
            continue
        if line.startswith("#,"):
            current.flags |= {f.strip() for f in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        if line.startswith('"'):
            assert target is not None, raw
            name, index = target
            if name == "msgstr":
                current.msgstr[index] += _string(line)
            else:
                setattr(current, name, (getattr(current, name) or "") + _string(line))
            continue
        keyword, _, rest = line.partition(" ")
        if keyword.startswith("msgstr["):
            index = int(keyword[7:-1])
            current.msgstr[index] = _string(rest)
            target = ("msgstr", index)
        elif keyword == "msgstr":
            current.msgstr[0] = _string(rest)
            target = ("msgstr", 0)
        elif keyword in ("msgid", "msgid_plural", "msgctxt"):
            setattr(current, keyword, _string(rest))
            target = (keyword, 0)
        else:
            raise ValueError(f"not a .po line: {raw!r}")
    return entries


def catalogue(code: str, domain: str = "django") -> list[Entry]:
    """The messages (header left out) of the app's catalogue for ``code`` (``djangojs``: the
    words of the app's scripts)."""
    path = LOCALE / code / "LC_MESSAGES" / f"{domain}.po"
    return [e for e in parse(path.read_text(encoding="utf-8")) if e.msgid]


def header(code: str, domain: str = "django") -> Entry:
    path = LOCALE / code / "LC_MESSAGES" / f"{domain}.po"
    return parse(path.read_text(encoding="utf-8"))[0]
