"""Today's list on the diary page is written in Python (issue 21); it must be the HTML the
diary template's loop wrote, row for row: escaped, translated and numbers formatted alike."""

from __future__ import annotations

from typing import Any

from django.template import Context, Template
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from spasmcare.web.family.fragments import today_items, what_was_seen

#: The diary template's loop as it was (its whitespace laid out as today_items lays it out).
LOOP = Template(
    "{% load i18n %}{% for r in rows %}"
    '    <li><span class="fam-time" dir="ltr">{{ r.time }}</span>\n'
    '      <span>{{ r.what }}{% if r.duration_min %} · <span dir="ltr">'
    '{{ r.duration_min|floatformat:"-1" }} min</span>{% endif %}</span>\n'
    '      <span class="muted small">{{ r.observer }}</span>\n'
    '      {% if r.video_url %}<a href="{{ r.video_url }}">{% translate "video" %}</a>'
    "{% endif %}</li>\n{% endfor %}"
)

TEXT = st.text(max_size=12)
ROW = st.fixed_dictionaries(
    {
        "time": st.sampled_from(["08:05", "23:59", ""]),
        "kind": st.sampled_from(["cluster", "single"]),
        "spasms": st.one_of(st.none(), st.integers(0, 200)),
        "observer": TEXT | st.just('<b>"Mum" & co</b>'),
        "duration_min": st.one_of(st.none(), st.just(0), st.floats(0.5, 90), st.integers(1, 90)),
        "video_url": st.one_of(st.none(), st.just('/patients/1/video/a"b<c/')),
    }
)


@settings(max_examples=150, deadline=None)
@given(rows=st.lists(ROW, max_size=5), language=st.sampled_from(["en-gb", "es", "ar"]))
def test_today_items_are_the_templates_loop(rows: list[dict[str, Any]], language: str) -> None:
    with translation.override(language):
        for r in rows:
            r["what"] = what_was_seen(r["kind"], r["spasms"])
        assert str(today_items(rows)) == LOOP.render(Context({"rows": rows}))


def test_what_was_seen_in_words() -> None:
    with translation.override("en-gb"):
        assert what_was_seen("single", 1) == "single spasm"
        assert what_was_seen("cluster", 1) == "1 spasm"
        assert what_was_seen("cluster", 7) == "7 spasms"
