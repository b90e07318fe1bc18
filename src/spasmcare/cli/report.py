"""``spasmcare report``: every response measure, EEG, growth and lab alert for one record."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from spasmcare.cli._common import emit, parse_today, read_text, write_bytes
from spasmcare.errors import InputError
from spasmcare.measures.response import ResponseOptions
from spasmcare.plain import code_words, when_text, words
from spasmcare.record import record_from_json
from spasmcare.record.model import DIET_LABELS
from spasmcare.report import build_report, render_html
from spasmcare.report.data import ReportOptions, measure_text

#: Option of ``spasmcare report`` for each measure setting it sets (named in error messages).
OPTION_FLAGS: dict[str, str] = {
    "first_day_number": "--first-day",
    "relapse_window_days": "--relapse-window-days",
    "remission_days": "--remission-days",
    "baseline_days": "--baseline-days",
    "baseline_mode": "--baseline-mode",
    "baseline_lookback_days": "--baseline-lookback-days",
    "spasm_free_3m_window_days": "--spasm-free-3m-days",
}

#: Colour of a result by its ``favourable`` (good news, bad news, neither), as in the HTML.
FAVOURABLE_STYLE: dict[bool | None, str] = {True: "green", False: "red"}


def _style(m: dict[str, Any]) -> str:
    return FAVOURABLE_STYLE.get(m.get("favourable")) or (
        "dim" if m["status"] == "not assessable" else "cyan"
    )


MISSING = "—"



def _print_flags(console: Console, title: str, flags: list[dict[str, Any]], empty: str) -> None:
    """One table of alerts or findings (severity, when, message in words); ``empty`` when none."""
    if not flags:
        if empty:
            console.print(empty)
        return
    table = Table(title=title)
    for col in ("severity", "when", "message"):
        table.add_column(col, overflow="fold")
    for a in flags:
        when = MISSING if a["at"] is None else when_text(str(a["at"])) or str(a["at"])
        table.add_row(a["severity"], when, escape(_words(a["message"])))
    console.print(table)

def _words(value: Any) -> str:
    """A value as people read it: ISO dates written "7 Dec 2026", nothing as "—"."""
    return MISSING if value is None or value == "" else words(str(value))


def _index_text(items: list[dict[str, Any]], item_id: Any, name: Any) -> str:
    """The index treatment or diet named by what it is and when it started, not by its id."""
    item = next((i for i in items if i.get("id") == item_id), None)
    if item is None:
        return MISSING
    what = name(item)
    return f"{what} from {_words(item['start'])}" if item.get("start") else what


def _write_pdf(report: dict[str, Any], page: str, path: Path, printed_on: date) -> None:
    """The HTML report ``page`` as an A4 PDF at ``path`` (:mod:`spasmcare.report.pdf`): the
    patient's name and the date printed on every page, "Page n of N"."""
    from spasmcare.report.pdf import html_to_pdf

    patient = report["patient"]
    data = html_to_pdf(page, patient_name=patient["name"] or patient["id"], printed_on=printed_on)
    write_bytes(path, data, "--pdf")


def _render(report: dict[str, Any], html_path: Path | None, pdf_path: Path | None = None) -> Any:
    def render(console: Console) -> None:
        p, d = report["patient"], report["diary"]
        diary = (
            f"diary {_words(d['first_day'])} → {_words(d['last_day'])}, "
            f"{d['recorded_days']} of {d['days_in_span']} days recorded"
            if d["first_day"] is not None
            else "no diary entries yet"
        )
        console.print(
            f"[bold]{escape(p['name'] or p['id'])}[/] · {_words(p['sex'])} · born "
            f"{_words(p['birth_date'])} ({_words(p['gestation'])} weeks) · {diary}"
        )
        first_line = _index_text(
            report["treatments"], report["index_treatment"], lambda t: code_words(t["drug"])
        )
        diet = _index_text(
            report["diets"], report["index_diet"], lambda t: DIET_LABELS.get(t["diet"], t["diet"])
        )
        table = Table(title=f"Measures (first-line: {first_line}; diet: {diet})")
        for col in ("measure", "result", "why"):
            table.add_column(col, overflow="fold")
        for m in report["measures"].values():
            table.add_row(
                escape(_words(m["label"])),
                f"[{_style(m)}]{escape(_words(measure_text(m)))}[/]",
                escape(_words(m["reason"])),
            )
        console.print(table)
        _print_flags(console, "Alerts", report["alerts"], "No alerts.")
        _print_flags(
            console, "Findings of every date (history, not alerts)", report.get("findings", []), ""
        )
        if html_path is not None:
            console.print(f"HTML report written to {html_path}")
        if pdf_path is not None:
            console.print(f"PDF report written to {pdf_path}")

    return render


def register(app: typer.Typer) -> None:
    @app.command()
    def report(
        record: Path = typer.Argument(..., help="Patient record JSON (schema v1)."),
        html: Path | None = typer.Option(None, "--html", help="Write the HTML report here."),
        pdf: Path | None = typer.Option(
            None,
            "--pdf",
            help="Write the report as an A4 PDF here (patient's name, date printed and page "
            "numbers on every page).",
        ),
        treatment: str | None = typer.Option(
            None, "--treatment", help="Treatment id to judge (default: the first course)."
        ),
        today: str | None = typer.Option(
            None,
            "--today",
            help="Latest acceptable date YYYY-MM-DD (default: the system "
            "date); set it for reproducible checks.",
        ),
        as_json: bool = typer.Option(False, "--json", help="Print one JSON document."),
        first_day: int = typer.Option(
            1,
            "--first-day",
            help="Number of the treatment start date: 1 (default, 'day 1 of treatment') or 0 "
            "('trial entry' as day 0); the trial abstracts do not say.",
        ),
        relapse_window_days: int | None = typer.Option(
            None,
            "--relapse-window-days",
            help="Count relapses up to this treatment day (default: to the end of the diary; "
            "published windows 2-9 months, 12 months).",
        ),
        remission_days: int = typer.Option(
            28,
            "--remission-days",
            help="Spasm-free days that make a remission (relapse, Mytinger, electroclinical "
            "remission): 28.",
        ),
        baseline_days: int = typer.Option(
            7, "--baseline-days", help="Days averaged for the baseline before a start: 7."
        ),
        baseline_mode: str = typer.Option(
            "recorded",
            "--baseline-mode",
            help="'recorded' (default: the last recorded days, looking back "
            "--baseline-lookback-days) or 'calendar' (the calendar days just before, all "
            "recorded).",
        ),
        baseline_lookback_days: int = typer.Option(
            28,
            "--baseline-lookback-days",
            help="How far back the recorded baseline looks: 28 days.",
        ),
        spasm_free_3m_days: int = typer.Option(
            28,
            "--spasm-free-3m-days",
            help="Spasm-free days ending on the 3-month date for 'spasm-free at 3 months': 28.",
        ),
    ) -> None:
        """Response measures (UKISS, ICISS, NISC, Mytinger, Elterman, electroclinical, diet
        responders), EEG scores, growth z-scores and flags, lab alerts; optional HTML or PDF report.
        Every output key and setting: docs/MEASURES.md."""
        day = parse_today(today)
        if pdf is not None and not pdf.parent.is_dir():
            raise InputError("--pdf", str(pdf), "a file path in an existing directory")
        rec = record_from_json(read_text(record), today=day)
        try:
            response = ResponseOptions(
                first_day_number=first_day,
                relapse_window_days=relapse_window_days,
                remission_days=remission_days,
                baseline_days=baseline_days,
                baseline_mode=baseline_mode,  # type: ignore[arg-type]  # checked by the options
                baseline_lookback_days=baseline_lookback_days,
                spasm_free_3m_window_days=spasm_free_3m_days,
            )
        except InputError as exc:
            flag = OPTION_FLAGS.get(exc.field, exc.field)
            raise InputError(flag, exc.value, exc.accepted) from exc
        data = build_report(
            rec, ReportOptions(response=response, treatment_id=treatment, today=day)
        )
        page = render_html(data) if html is not None or pdf is not None else ""
        if html is not None:
            try:
                html.write_text(page, encoding="utf-8")
            except OSError as exc:
                raise InputError("--html", str(html), f"a writable file path ({exc})") from exc
        extra: dict[str, str] = {}
        if pdf is not None:
            _write_pdf(data, page, pdf, day or date.today())
            extra["pdf"] = str(pdf)
        if html is not None:
            extra["html"] = str(html)
        data = {**data, **extra}
        emit(data, as_json, _render(data, html, pdf))
