"""The report charts are SVG text carrying their content (series, labels, legends, axes, dates
in words), escaped, with an accessible title; no drawing library is imported to write them."""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import date
from typing import Any

import pytest

from spasmcare.demo import long_record
from spasmcare.record import record_from_dict
from spasmcare.record.model import DIET_LABELS
from spasmcare.report import build_report, charts

TODAY = date(2026, 12, 1)
NS = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    return build_report(record_from_dict(long_record(TODAY).record, today=TODAY))


def _tree(image: str) -> ET.Element:
    return ET.fromstring(image)


def _all(root: ET.Element, tag: str, cls: str | None = None) -> list[ET.Element]:
    return [e for e in root.iter(NS + tag) if cls is None or e.get("class") == cls]


def _texts(root: ET.Element, cls: str | None = None) -> list[str]:
    return [e.text or "" for e in _all(root, "text", cls)]


def test_timeline_content(report: dict[str, Any]) -> None:
    root = _tree(charts.timeline_svg(report))
    assert root.get("role") == "img"
    assert root.find(NS + "title").text == "Treatments, EEGs, spasms per day and ketones"  # type: ignore[union-attr]
    bars = _texts(root, "bar-label")
    # each course and diet by what it is, never its record id (issue 19); the record's drugs
    # and diets are all different here, so no start date is needed to tell them apart
    names = [t["drug"] for t in report["treatments"]] + [
        DIET_LABELS[d["diet"]] for d in report["diets"]  # a diet by its name
    ]
    assert [b.split(" from ")[0] for b in bars] == names
    assert len(set(bars)) == len(bars)  # two of one name are told apart by their start
    ids = [x["id"] for x in report["treatments"] + report["diets"]]
    assert not any(f"({i})" in b for b in bars for i in ids)
    assert len(_all(root, "path", "eeg")) == len(report["eeg"])  # one marker per EEG
    assert _texts(root, "ylabel") == ["spasms / day", "BHB mmol/L", "ratio :1"]
    assert _texts(root, "legend") == [
        "spasms (recorded day)",
        "not recorded (unknown)",
        "BHB target",
        "BHB high",
        "blood BHB [mmol/L]",
        "achieved ratio",
    ]
    bhb = [r for d in report["diets"] for r in d["adherence"] if r["bhb_mmol_l"] is not None]
    assert len(_all(root, "circle", "bhb")) == len(bhb)
    # one bar per recorded day with spasms, all in one path
    recorded = [r for r in report["spasms_per_day"] if r["recorded"] and r["spasms"]]
    (path,) = _all(root, "path", "spasms-recorded")
    assert path.get("d", "").count("M") == len(recorded)
    # at most 12 date labels across two years, in words, months apart
    dates = _texts(root, "date")
    assert 6 <= len(dates) <= charts.MAX_DATE_LABELS
    assert all(re.fullmatch(r"[A-Z][a-z]{2} \d{4}", d) for d in dates)


def _small_report(drug: str = "prednisolone") -> dict[str, Any]:
    """Three diary days (1 Dec 2026: 4 spasms; 2 Dec not recorded; 3 Dec: 8 spasms), one
    ongoing course from 1 Dec, one EEG on 2 Dec with hypsarrhythmia, no diet."""
    return {
        "spasms_per_day": [
            {"date": "2026-12-01", "spasms": 4, "recorded": True},
            {"date": "2026-12-02", "spasms": 0, "recorded": False},
            {"date": "2026-12-03", "spasms": 8, "recorded": True},
        ],
        "treatments": [{"drug": drug, "id": "p1", "start": "2026-12-01", "stop": None}],
        "diets": [],
        "eeg": [{"date": "2026-12-02", "hypsarrhythmia": True}],
        "options": {
            "labs": {
                "bhb_target_low_mmol_l": 2.0,
                "bhb_target_high_mmol_l": 5.0,
                "bhb_high_mmol_l": 6.0,
            }
        },
    }


def _boxes(d: str) -> list[tuple[float, float, float]]:
    """(left x, right x, top y) of each bar of a day-bar path (``Mx,base V top H right V base``)."""
    found = re.findall(r"M([\d.]+),([\d.]+)V([\d.]+)H([\d.]+)V", d)
    return [(float(x0), float(x1), float(top)) for x0, _, top, x1 in found]


def test_timeline_geometry_derived_by_hand() -> None:
    root = _tree(charts.timeline_svg(_small_report()))
    # the axis shows 30 Nov to 4 Dec (a day's margin each side) over x = 150..950: 5 days of
    # 160 px; 1 Dec is the second day: 310..470; 3 Dec the fourth: 630..790
    (path,) = _all(root, "path", "spasms-recorded")
    (first, second) = _boxes(path.get("d", ""))
    assert first[:2] == pytest.approx((310, 470), abs=0.01)
    assert second[:2] == pytest.approx((630, 790), abs=0.01)
    # heights from the zero line: 8 spasms is twice 4 spasms
    zero = float(re.match(r"M[\d.]+,([\d.]+)", path.get("d", "")).group(1))  # type: ignore[union-attr]
    assert zero - second[2] == pytest.approx(2 * (zero - first[2]), abs=0.02)
    # the unrecorded 2 Dec is one shaded day: 470..630
    (shade,) = _all(root, "rect", "unrecorded")
    assert float(shade.get("x", 0)) == pytest.approx(470, abs=0.01)
    assert float(shade.get("width", 0)) == pytest.approx(160, abs=0.01)
    # the EEG named in words with its date; the date axis labels 1 Dec in words
    (eeg,) = _all(root, "path", "eeg")
    assert eeg.find(NS + "title").text == "EEG 2 Dec 2026: hypsarrhythmia"  # type: ignore[union-attr]
    assert _texts(root, "date") == ["1 Dec 2026"]
    # the ongoing course runs to the last diary day
    (bar,) = _all(root, "g", "bar")
    assert bar.find(NS + "title").text == "prednisolone: 1 Dec 2026 to 3 Dec 2026"  # type: ignore[union-attr]
    # no ketones: no BHB points, no ratio axis
    assert _all(root, "circle", "bhb") == [] and "ratio :1" not in _texts(root, "ylabel")


def test_text_is_escaped() -> None:
    hostile = '<script>alert("x")</script> & co'
    image = charts.timeline_svg(_small_report(drug=hostile))
    assert "<script>" not in image
    assert _texts(_tree(image), "bar-label") == [hostile]  # read back as written


def test_growth_content(report: dict[str, Any]) -> None:
    root = _tree(charts.growth_svg(report))
    title = root.find(NS + "title").text  # type: ignore[union-attr]
    assert title in ("Growth on WHO centiles (male)", "Growth on WHO centiles (female)")
    assert _texts(root, "panel-title") == ["Weight [kg]", "Length [cm]", "Head circumference [cm]"]
    rows = [r for r in report["growth"]["rows"] if r["corrected_age_years"] is not None]
    panels = _all(root, "g", "panel")
    assert len(panels) == 3
    for panel, (_, attr, _) in zip(panels, charts.GROWTH_PANELS, strict=True):
        assert _texts(panel, "centile-name") == [name for name, _ in charts.CENTILE_LINES]
        assert len(_all(panel, "polyline", "centile")) == 9
        assert _texts(panel, "xlabel")[0] in ("age [months]", "corrected age [months]")
        points = _all(panel, "circle", "point")
        assert len(points) == sum(1 for r in rows if r[attr] is not None)
    # the weights, in order, in the points' titles
    weights = [p.find(NS + "title").text.split(": ")[1] for p in _all(panels[0], "circle", "point")]  # type: ignore[union-attr]
    assert weights == [f"{r['weight_kg']:g}" for r in rows if r["weight_kg"] is not None]


def test_adherence_needs_two_days(report: dict[str, Any]) -> None:
    image = charts.adherence_svg(report)
    assert image is not None
    root = _tree(image)
    assert len(_all(root, "circle", "day")) == len(charts.adherence_points(report))
    assert _texts(root, "xlabel") == ["blood BHB that day [mmol/L]"]
    assert charts.adherence_svg(_small_report()) is None


def test_the_report_page_imports_no_drawing_library() -> None:
    code = (
        "import sys, spasmcare.report.html, spasmcare.report.charts;"
        "print(sorted(m for m in ('matplotlib', 'numpy', 'PIL') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
