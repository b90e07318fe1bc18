"""Printable table and iCalendar export."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from icalendar import Calendar

from spasmcare.therapy import plan_course, table_rows, to_ics, write_ics
from spasmcare.therapy.export import FAMILY_PENDING
from spasmcare.therapy.protocol import TO_BE_CONFIRMED

START = date(2025, 3, 3)
STAMP = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def test_ics_round_trip_counts_and_times(confirmed_dir: Path) -> None:
    plan = plan_course(
        "prednisolone-high-dose",
        weight_kg=7,
        start=START,
        products={"prednisolone": 5},
        protocols_dir=confirmed_dir,
    )
    cal = Calendar.from_ical(to_ics(plan, STAMP))
    events = list(cal.walk("VEVENT"))
    timed = [e for e in events if isinstance(e.decoded("dtstart"), datetime)]
    # 14 x 4 + 5 x 3 + 5 x 2 + 5 x 1 = 86 doses
    assert len(timed) == 86
    first = min(timed, key=lambda e: e.decoded("dtstart"))
    assert first.decoded("dtstart") == datetime(2025, 3, 3, 8, 0)
    # the family's words for a dose, with its time (issue 19: "20 mg = 2 mL at 08:00")
    assert str(first["summary"]) == "prednisolone 10 mg = 2 mL of 5 mg/mL at 08:00"
    # no evidence grade, no "(given at planning)" and no ISO date in a family's calendar
    text = to_ics(plan, STAMP).decode()
    assert "Evidence grade" not in text and "given at planning" not in text
    assert "2025-03-03" not in text.replace("20250303", "")
    assert len({str(e["uid"]) for e in events}) == len(events)
    all_day = [str(e["summary"]) for e in events if not isinstance(e.decoded("dtstart"), datetime)]
    assert any(s.startswith("Clinic review") for s in all_day)
    assert sum(s.startswith("Blood pressure") for s in all_day) == 9  # twice weekly, confirmed


def test_ics_leaves_out_unconfirmed(tmp_path: Path) -> None:
    plan = plan_course(
        "prednisolone-high-dose",
        weight_kg=7,
        start=START,
        decisions={"day7_spasms_continuing": True},
    )
    path = write_ics(plan, tmp_path / "course.ics", STAMP)
    raw = path.read_bytes()
    cal = Calendar.from_ical(raw)
    summaries = [str(e["summary"]) for e in cal.walk("VEVENT")]
    assert sum(s.startswith("prednisolone 10 mg") for s in summaries) == 28  # days 1-7 x 4
    # version 2: the escalation (20 mg x 3, days 8-14) is SECONDARY (evidence D-2) and given
    assert sum(s.startswith("prednisolone 20 mg") for s in summaries) == 21
    assert not any("Blood pressure" in s for s in summaries)  # frequency unconfirmed
    assert TO_BE_CONFIRMED.encode() not in raw
    assert sum("ask the clinic" in s for s in summaries) == 15  # days 15-29 (tail, D-5)
    assert not (tmp_path / "course.ics.partial").exists()


def _uids_by_day(raw: bytes) -> dict[date, set[str]]:
    out: dict[date, set[str]] = {}
    for event in Calendar.from_ical(raw).walk("VEVENT"):
        start = event.decoded("dtstart")
        day = start.date() if isinstance(start, datetime) else start
        out.setdefault(day, set()).add(str(event["uid"]))
    return out


def test_ics_is_reproducible_and_uids_survive_replanning(confirmed_dir: Path) -> None:
    args = {"weight_kg": 7, "start": START, "protocols_dir": confirmed_dir}
    first = plan_course("prednisolone-high-dose", **args)  # type: ignore[arg-type]
    again = plan_course("prednisolone-high-dose", **args)  # type: ignore[arg-type]
    assert to_ics(first, STAMP) == to_ics(again, STAMP)  # a fresh plan gives the same file
    escalated = plan_course(
        "prednisolone-high-dose",
        decisions={"day7_spasms_continuing": True},
        **args,  # type: ignore[arg-type]
    )
    before = _uids_by_day(to_ics(first, STAMP))
    after = _uids_by_day(to_ics(escalated, STAMP))
    # days 1-7 are unchanged by the day-7 answer: the same events (same UIDs) are updated
    for offset in range(7):
        day = date(2025, 3, 3 + offset)
        assert before[day] == after[day] and len(before[day]) >= 4
    # day 8 has new doses (3 x 20 mg instead of 4 x 10 mg): the 12:00/16:00 slots differ
    assert before[date(2025, 3, 10)] != after[date(2025, 3, 10)]


def test_table_rows_family_and_grouped() -> None:
    plan = plan_course("tetracosactide-depot", weight_kg=7, start=START)
    rows = table_rows(plan, family=True, grouped=True)
    assert rows[0]["dose"] == "0.5 mg" and rows[0]["medicine"] == "tetracosactide depot"
    assert rows[1]["dose"] == "no dose today"
    assert rows[-1]["dose"] == FAMILY_PENDING
    clin = table_rows(plan)
    assert clin[-1]["dose"].startswith(TO_BE_CONFIRMED)
    pred = plan_course("prednisolone-high-dose", weight_kg=7, start=START)
    grouped = table_rows(pred, grouped=True)
    assert len(grouped) == 29
    assert grouped[0]["time"] == "08:00 12:00 16:00 20:00"
    assert len(table_rows(pred)) == 86
