"""``spasmcare pathway``: the care pathway of one record (work-up, first-line proposal, flags)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer
from rich.console import Console

from spasmcare.cli._common import emit, parse_today, read_text

app = typer.Typer(
    help="Care pathway of one record: etiology work-up, first-line proposals, flags.",
    no_args_is_help=True,
)


@app.command()
def propose(
    record: Path = typer.Argument(..., help="Patient record JSON."),
    guideline: str = typer.Option(
        ..., "--guideline", help="The clinic's chosen guideline: nice-ng217, aan-cns or japan."
    ),
    rules_dir: Path | None = typer.Option(
        None, "--rules-dir", help="The clinic's directory of edited rule tables (newest used)."
    ),
    pyridoxine: bool = typer.Option(
        False, "--pyridoxine-trial", help="The clinic uses a pyridoxine trial in the work-up."
    ),
    today: str | None = typer.Option(None, "--today", help="Today YYYY-MM-DD (default: today)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document."),
) -> None:
    """First-line proposal (advice) with its source, referral flags and the work-up checklist."""
    from spasmcare.measures.workup import workup_checklist
    from spasmcare.record import record_from_json
    from spasmcare.therapy.pathway_rules import flags, load_table
    from spasmcare.therapy.pathway_rules import propose as make_proposal

    day = parse_today(today) or date.today()
    rec = record_from_json(read_text(record), today=day)
    table = load_table(rules_dir)
    proposal = make_proposal(rec, guideline, table)
    flag_list = [f.to_dict() for f in flags(rec, day, table)]
    workup = [i.to_dict() for i in workup_checklist(rec, pyridoxine)]
    data = {
        "patient": rec.patient.id,
        "rule_table": {"id": table.data["id"], "version": table.version},
        "guideline": guideline,
        "proposal": proposal.to_dict(),
        "flags": flag_list,
        "workup": workup,
    }

    def render(console: Console) -> None:
        console.print(
            f"[bold]First-line proposal[/] (advice, {table.guidelines[guideline]}): "
            f"{' or '.join(proposal.options)}",
            highlight=False,
        )
        console.print(f"  {proposal.text} Grade {proposal.grade}.", highlight=False)
        console.print(f"  Source: {proposal.source}", highlight=False)
        if proposal.override is not None:
            o = proposal.override
            console.print(
                f"  Overridden: {o.chosen or 'another choice'} because {o.reason}", highlight=False
            )
        for f in flag_list:
            console.print(f"[yellow]Flag:[/] {f['text']} Because: {f['because']}.", highlight=False)
        console.print("[bold]Etiology work-up[/] (NISC order)")
        for item in workup:
            state = item["state"].replace("-", " ")
            console.print(f"  {item['label']}: {state} - {item['detail']}", highlight=False)

    emit(data, as_json, render)


@app.command("copy-rules")
def copy_rules(
    rules_dir: Path = typer.Option(
        ..., "--rules-dir", help="The clinic's directory of rule tables (created if missing)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document."),
) -> None:
    """Copy the rule table in use as the next version into the clinic's directory, to edit.
    A released version is never rewritten; the newest version there is used from then on."""
    from spasmcare.therapy.pathway_rules import copy_for_clinic

    path = copy_for_clinic(rules_dir)
    data = {"file": str(path)}
    emit(data, as_json, lambda c: c.print(f"wrote {path}: edit it; it is used from now on"))
