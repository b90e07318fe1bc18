"""Sources and cautions carried into prescriptions, the gradual start and the GI table."""

from __future__ import annotations

import pytest

from spasmcare.errors import InputError
from spasmcare.keto import prescription as rx_mod
from spasmcare.keto.gi import gi_source, gi_table
from spasmcare.keto.initiation import SOURCES, initiation_for
from spasmcare.keto.prescription import EnergySpec, Patient, ProteinSpec, classic, lgit, mct
from spasmcare.keto.ratio import DEFAULT_CARBS

CHILD = Patient(age_months=36, weight_kg=14.0, sex="female")


def test_default_carbs_lives_in_ratio_and_is_reexported() -> None:
    assert rx_mod.DEFAULT_CARBS == DEFAULT_CARBS == "total"


def test_gi_table_keeps_its_source_and_caution() -> None:
    table = gi_source()
    assert "Atkinson" in table.source and "2008" in table.source
    assert table.verify and "published table" in table.verify
    assert table.foods == gi_table()


def test_lgit_carries_the_gi_source_and_caution() -> None:
    rx = lgit(CHILD, EnergySpec(kcal=1200))
    assert "Atkinson" in rx.details["gi_source"]
    assert rx.details["gi_verify"] == gi_source().verify
    verify = gi_source().verify
    assert verify and any(verify in w for w in rx.warnings)
    assert any("Atkinson" in s and "Diabetes Care 2008" in s for s in rx.sources)


@pytest.mark.parametrize("cutoff", [39.9, 70.1])
def test_gi_cutoff_outside_the_accepted_range(cutoff: float) -> None:
    lo, hi = rx_mod.GI_CUTOFF_ACCEPTED_RANGE
    assert not lo <= cutoff <= hi
    with pytest.raises(InputError) as err:
        lgit(CHILD, gi_cutoff=cutoff)
    assert err.value.field == "--gi-cutoff"


def test_mct_introduction_is_cited() -> None:
    rx = mct(CHILD, EnergySpec(kcal=1200))
    assert "5-10 days" in rx.details["note"]
    assert any("fellrnr" in s and "Kossoff" in s for s in rx.sources)


def test_mct_energy_adds_up_by_9_4_4() -> None:
    # MCT at 8.3 kcal/g, the rest 9/4/4: MCT kcal + 9 × LCT + 4 × (protein + carb) = kcal.
    rx = mct(CHILD, EnergySpec(kcal=1200))
    d = rx.details
    assert rx.protein_g is not None and rx.carb_g is not None
    assert d["mct_kcal"] + 9 * d["lct_fat_g"] + 4 * (rx.protein_g + rx.carb_g) == (
        pytest.approx(1200)
    )
    assert rx.carb_g == pytest.approx(1200 * 0.15 / 4)


def test_low_carbohydrate_warning_threshold_is_a_named_constant() -> None:
    # 3:1 at 1000 kcal: units = 1000 / 31 = 32.26 g; protein 31 g leaves carb 1.26 g,
    # under 5 % of 32.26 = 1.61 g → warned; protein 30 g leaves 2.26 g → not warned.
    assert rx_mod.LOW_CARB_WARNING_FRACTION == 0.05

    low = classic(CHILD, 3, EnergySpec(kcal=1000), ProteinSpec(g_per_day=31))
    ok = classic(CHILD, 3, EnergySpec(kcal=1000), ProteinSpec(g_per_day=30))
    assert any("almost all of the non-fat" in w for w in low.warnings)
    assert not any("almost all of the non-fat" in w for w in ok.warnings)


def test_ratio_initiation_cites_liao_and_cure() -> None:
    rx = classic(CHILD, 3, EnergySpec(kcal=1000))
    days, sources = initiation_for(rx, "ratio")
    assert [d.ratio for d in days] == [1, 2, 3]
    assert sources == [SOURCES["cure-initiation"], SOURCES["liao-2016"]]
    _, volume_sources = initiation_for(rx, "volume")
    assert volume_sources == [SOURCES["hopkins-initiation"]]


def test_bad_initiation_mode_names_the_cli_field() -> None:
    rx = classic(CHILD, 3, EnergySpec(kcal=1000))
    with pytest.raises(InputError) as err:
        initiation_for(rx, "fast")
    assert err.value.field == "--initiation"
