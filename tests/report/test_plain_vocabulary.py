"""The one vocabulary (spasmcare.plain, issue 19): every code people saw on screen by its
label, sentences with review marks and codes in words."""

from __future__ import annotations

from spasmcare.plain import code_words, label, words


def test_codes_seen_on_screen_read_as_labels() -> None:
    assert label("classic-kd") == "classic ketogenic diet"
    assert label("tsc") == "tuberous sclerosis complex"
    assert label("bhb") == "β-hydroxybutyrate (blood)"
    assert label("holliday-segar") == "Holliday-Segar (1957)"
    assert label("iom") == "US Dietary Reference Intakes (IOM)"
    assert label("prednisolone-high-dose") == "High-dose oral prednisolone, UKISS"
    assert label("ketocal-3-1-powder") == "KetoCal 3:1 powder (Nutricia)"
    assert label("checks_per_week") == "checks per week"
    assert label("day7-escalation") == "day 7 escalation"
    assert label("alt") == "ALT (alanine aminotransferase)"
    assert label("other") == "other"  # both an etiology and a diet: the word itself
    assert code_words("lgit_carb") == "LGIT carb"


def test_sentences_read_as_words() -> None:
    assert words("(VERIFY against Lux 2004 methods)") == "(to be checked against Lux 2004 methods)"
    assert words("weekly is the project's starting point (issue 4).") == (
        "weekly is the project's starting point."
    )
    assert words("checks, `checks_per_week` times a week") == "checks, checks per week times a week"
    assert words("classic-kd from 2026-08-07") == "classic ketogenic diet from 7 Aug 2026"
    assert words("9/4/4 gives 699.3 kcal/100 g [D]") == "9/4/4 gives 699.3 kcal/100 g (computed)"
    # English compounds and citation keys that are not codes of the vocabulary stay
    assert words("spasm-free on the day-14 EEG") == "spasm-free on the day-14 EEG"
    assert words(None) == ""
