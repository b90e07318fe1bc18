"""``spasmcare report RECORD --pdf OUT`` (issue 26): the report as an A4 PDF with the patient's
name, the date printed and the page numbers on every page; a bad path is one line, exit 2."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from tests.conftest import run_cli

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "iess-synthetic-infant.json"
NAME = json.loads(EXAMPLE.read_text(encoding="utf-8"))["patient"]["name"]


def test_pdf_is_written(capsys: Any, tmp_path: Path) -> None:
    out = tmp_path / "report.pdf"
    code, stdout, err = run_cli(
        capsys, "report", str(EXAMPLE), "--today", "2026-12-07", "--pdf", str(out), "--json"
    )
    assert code == 0, err
    assert json.loads(stdout)["pdf"] == str(out)
    data = out.read_bytes()
    assert data.startswith(b"%PDF-")
    pages = PdfReader(io.BytesIO(data)).pages
    assert len(pages) >= 2
    for k, page in enumerate(pages, start=1):
        text = page.extract_text()
        assert NAME in text and "Printed 7 Dec 2026" in text
        assert f"Page {k} of {len(pages)}" in text
    assert [p.name for p in tmp_path.iterdir()] == ["report.pdf"]  # no temporary file left


def test_pdf_and_html_together(capsys: Any, monkeypatch: Any, tmp_path: Path) -> None:
    monkeypatch.setenv("COLUMNS", "400")
    html, pdf = tmp_path / "r.html", tmp_path / "r.pdf"
    code, stdout, err = run_cli(
        capsys, "report", str(EXAMPLE), "--today", "2026-12-07",
        "--html", str(html), "--pdf", str(pdf),
    )
    assert code == 0, err
    assert f"PDF report written to {pdf}" in stdout and f"HTML report written to {html}" in stdout
    assert html.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert pdf.read_bytes().startswith(b"%PDF-")


def _refused(capsys: Any, target: Path) -> str:
    code, stdout, err = run_cli(
        capsys, "report", str(EXAMPLE), "--today", "2026-12-07", "--pdf", str(target)
    )
    assert code == 2 and stdout == ""
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    return err


def test_a_missing_folder_is_one_line_exit_2(capsys: Any, tmp_path: Path) -> None:
    target = tmp_path / "no-such-folder" / "r.pdf"
    err = _refused(capsys, target)
    assert err.startswith("error: --pdf:") and "existing directory" in err
    assert not target.parent.exists()


def test_a_folder_as_the_file_is_one_line_exit_2(capsys: Any, tmp_path: Path) -> None:
    err = _refused(capsys, tmp_path)
    assert err.startswith("error: --pdf:") and "writable file" in err
    assert list(tmp_path.iterdir()) == []  # no half-written or temporary file
