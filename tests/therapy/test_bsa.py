"""Body-surface-area formulas against hand-calculated and published values."""

from __future__ import annotations

import pytest

from spasmcare.errors import InputError
from spasmcare.therapy.bsa import bsa_m2, bsa_spread, dubois, gehan_george, haycock, mosteller


def test_mosteller_60cm_6kg() -> None:
    # Mosteller: sqrt(60 x 6 / 3600) = sqrt(0.1) = 0.316228 m²
    assert mosteller(60, 6) == pytest.approx(0.316228, abs=1e-6)


def test_mosteller_adult_published() -> None:
    # Mosteller 1987 worked example scale: 180 cm, 70 kg -> sqrt(12600/3600) = sqrt(3.5) = 1.8708
    assert mosteller(180, 70) == pytest.approx(1.8708, abs=1e-4)


def test_acthar_label_example_bsa() -> None:
    # Acthar label example uses BSA 0.4 m²; Mosteller 72 cm x 8 kg = sqrt(576/3600) = 0.4 exactly
    assert bsa_m2(72, 8) == pytest.approx(0.4, abs=1e-12)


def test_haycock_60cm_6kg() -> None:
    # ln 60 = 4.094345 -> x0.3964 = 1.622998 -> e^ = 5.06815
    # ln 6 = 1.791759 -> x0.5378 = 0.963608 -> e^ = 2.62113
    # 0.024265 x 5.06815 x 2.62113 = 0.322340
    assert haycock(60, 6) == pytest.approx(0.32234, abs=2e-5)


def test_dubois_60cm_6kg() -> None:
    # ln 60 x 0.725 = 2.968400 -> e^ = 19.4613 ; ln 6 x 0.425 = 0.761498 -> e^ = 2.14150
    # 0.007184 x 19.4613 x 2.14150 = 0.299400
    assert dubois(60, 6) == pytest.approx(0.29940, abs=2e-5)


def test_gehan_george_60cm_6kg() -> None:
    # ln 60 x 0.42246 = 1.729690 -> e^ = 5.63894 ; ln 6 x 0.51456 = 0.921967 -> e^ = 2.51425
    # 0.0235 x 5.63894 x 2.51425 = 0.333180
    assert gehan_george(60, 6) == pytest.approx(0.33318, abs=3e-5)


def test_dubois_adult() -> None:
    # ln 180 x 0.725 = 3.764894 -> e^ = 43.1591 ; ln 70 x 0.425 = 1.805610 -> e^ = 6.08368
    # 0.007184 x 43.1591 x 6.08368 = 1.88628 m²
    assert dubois(180, 70) == pytest.approx(1.8863, abs=2e-4)


def test_formula_choice_and_spread() -> None:
    assert bsa_m2(60, 6, "haycock") == pytest.approx(haycock(60, 6))
    assert bsa_m2(60, 6, "Gehan_George") == pytest.approx(gehan_george(60, 6))
    # spread = 0.33318 / 0.29940 - 1 = 11.3 % (> 5 %, the warning threshold)
    assert bsa_spread(60, 6) == pytest.approx(0.3332 / 0.2994 - 1, abs=0.002)
    # by hand: largest is Gehan-George, 0.0235 x 60^0.42246 x 6^0.51456
    #   ln 60 x 0.42246 = 1.729689 -> e^ = 5.63886 ; ln 6 x 0.51456 = 0.921962 -> e^ = 2.51420
    #   0.0235 x 5.63886 x 2.51420 = 0.333174 m²
    # smallest is DuBois, 0.007184 x 60^0.725 x 6^0.425
    #   ln 60 x 0.725 = 2.968404 -> e^ = 19.4603 ; ln 6 x 0.425 = 0.761492 -> e^ = 2.14151
    #   0.007184 x 19.4603 x 2.14151 = 0.299392 m²
    # spread = 0.333174 / 0.299392 - 1 = 0.11284
    assert gehan_george(60, 6) == pytest.approx(0.33317, abs=2e-5)
    assert dubois(60, 6) == pytest.approx(0.29939, abs=2e-5)
    assert bsa_spread(60, 6) == pytest.approx(0.11284, abs=1e-4)


def test_unknown_formula() -> None:
    with pytest.raises(InputError) as err:
        bsa_m2(60, 6, "boyd")
    assert err.value.field == "--bsa-formula"
