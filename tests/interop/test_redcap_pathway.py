"""The care-pathway form of the REDCap export (issue 23): days from onset and codes, read back
from the flat import CSV into the record's dates and codes; off unless asked for."""

from __future__ import annotations

import csv
import io
from datetime import date

from spasmcare.interop import redcap
from spasmcare.interop.redcap_pathway import PATHWAY_COLUMNS, pathway_from_columns
from spasmcare.measures.cohort import pseudonym
from spasmcare.record import record_from_dict
from tests.record.test_pathway_io import TODAY, with_pathway

SALT = "a-test-salt-of-enough-length"


def export(pathway: bool = True) -> tuple[redcap.RedcapExport, list[dict[str, str]]]:
    record = record_from_dict(with_pathway(), today=TODAY)
    out = redcap.cohort_redcap([record], TODAY, salt=SALT, k=1, pathway=pathway)
    rows = list(csv.DictReader(io.StringIO(out.import_csv)))
    return out, rows


def test_pathway_round_trips_through_the_redcap_csv() -> None:
    out, rows = export()
    assert rows[0]["record_id"] == pseudonym("p1", SALT)
    back = pathway_from_columns(rows[0], date(2026, 4, 15))
    # by hand from tests/record/test_pathway_io.PATHWAY (onset 15 Apr 2026)
    assert back["referral"] == date(2026, 4, 20)
    assert back["referral_urgency"] == "urgent"
    assert back["first_seen"] == date(2026, 4, 28)
    assert back["diagnostic_eeg"] == date(2026, 4, 29)
    assert (back["mri_requested"], back["mri_done"]) == (date(2026, 4, 29), date(2026, 5, 20))
    assert (back["mri_finding"], back["mri_resectable_lesion"]) == ("non-diagnostic", False)
    assert (back["genetic_type"], back["genetic_result"], back["genetic_class"]) == (
        "gene-panel",
        "inconclusive",
        "vus",
    )
    assert (back["genetic_requested"], back["genetic_resulted"]) == (
        date(2026, 5, 21),
        date(2026, 7, 1),
    )
    assert back["metabolic_result"] == "normal"
    assert (back["tsc_signs"], back["focal_onset"]) == (False, False)
    assert back["pyridoxine_response"] == "no-response"
    assert back["first_treatment_failed"] == date(2026, 5, 18)
    assert back["overrides"] == 1
    # urgent referral seen after 8 days: met; onset -> prednisolone 4 May = 19 days: not met
    assert back["kpi_urgent_referral_seen_14d"] == "met"
    assert back["kpi_urgent_referral_seen_14d_days"] == 8
    assert back["kpi_onset_to_standard_therapy_7d"] == "not-met"
    assert back["kpi_onset_to_standard_therapy_7d_days"] == 19


def test_the_dictionary_has_a_contiguous_pathway_form_with_choices() -> None:
    out, _ = export()
    table = list(csv.reader(io.StringIO(out.dictionary_csv)))
    pathway_rows = [row for row in table[1:] if row[1] == "pathway"]
    assert [row[0] for row in pathway_rows] == list(PATHWAY_COLUMNS)
    urgency = next(row for row in pathway_rows if row[0] == "referral_urgency")
    assert (urgency[3], urgency[5]) == ("radio", "urgent, urgent | routine, routine")
    finding = next(row for row in pathway_rows if row[0] == "mri_finding")
    assert "non_diagnostic, non-diagnostic" in finding[5]


def test_without_the_option_no_pathway_field_is_exported() -> None:
    out, _ = export(pathway=False)
    assert not set(PATHWAY_COLUMNS) & set(out.fields)
