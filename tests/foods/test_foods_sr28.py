"""The packaged SR28 table against the raw SR28 ASCII files."""

from __future__ import annotations

import gzip
import hashlib
import lzma
from pathlib import Path

import pytest
from foods_helpers import raw_bytes, raw_nut_values, raw_records, sr28_dir

from spasmcare.errors import InputError
from spasmcare.foods import NUTRIENTS, FoodTable, Measure
from spasmcare.foods.nutrients import SR28_NUTRIENTS
from spasmcare.foods.sr28 import (
    DEFAULT_PATH,
    INPUT_FILES,
    REPO_SR28_DIR,
    build,
    encode,
    load_document,
)


def test_all_8789_foods(table: FoodTable) -> None:
    # SR28 README / FOOD_DES: 8,789 foods; plus the 7 curated specialty products (5, then a
    # carbohydrate module and a fat emulsion, issue 19).
    sr28 = [f for f in table if f.source == "USDA SR28"]
    assert len(sr28) == 8789
    assert len(table) == 8789 + 7


# Expected values copied by hand from the NUT_DATA.txt lines, e.g.
#   ~01001~^~204~^81.11^580^0.065^~1~^...   (butter, salted: fat 81.11 g/100 g)
#   ~01001~^~208~^717^0^^~4~^~NC~^...       (energy 717 kcal)
#   ~01001~^~609~^1.190^3^...  ~01001~^~610~^2.529^3^...  (8:0 and 10:0; NUTR_DEF 609 = "8:0")
@pytest.mark.parametrize(
    ("food_id", "key", "nutr_no", "expected"),
    [
        ("01001", "fat_g", "204", 81.11),
        ("01001", "kcal", "208", 717.0),
        ("01001", "protein_g", "203", 0.85),
        ("01001", "fa_8_0_g", "609", 1.190),
        ("01001", "fa_10_0_g", "610", 2.529),
        ("01053", "fat_g", "204", 36.08),
        ("01053", "carb_g", "205", 2.74),
        ("01053", "water_g", "255", 57.81),
        ("01107", "fat_g", "204", 4.38),
        ("01107", "selenium_ug", "317", 1.8),
        ("01123", "protein_g", "203", 12.56),
        ("01123", "kcal", "208", 143.0),
    ],
)
def test_exact_values_against_raw_lines(
    table: FoodTable, food_id: str, key: str, nutr_no: str, expected: float
) -> None:
    assert float(raw_nut_values()[(food_id, nutr_no)]) == expected
    assert table.get(food_id).per_100g[key] == expected


def test_every_value_is_sr28s_and_missing_stays_none(table: FoodTable) -> None:
    """Sweep: each kept nutrient equals NUT_DATA exactly; no row means None (never 0)."""
    wanted = {n.sr28: n.key for n in SR28_NUTRIENTS}
    raw = {(fid, wanted[no]): float(v) for (fid, no), v in raw_nut_values().items()}
    known = 0
    for food in table:
        if food.source != "USDA SR28":
            continue
        for key, value in food.per_100g.items():
            if key == "mct_g":
                assert value is None
                continue
            assert value == raw.get((food.id, key)), (food.id, key)
            known += value is not None
    assert known == len(raw)


def test_missing_value_is_none_not_zero(table: FoodTable) -> None:
    # NUT_DATA has no 269 (sugars) row for 01008 "Cheese, caraway"; it has fat (204) 29.2.
    cheese = table.get("01008")
    assert cheese.name == "Cheese, caraway"
    assert cheese.per_100g["sugars_g"] is None
    assert cheese.nutrient("sugars_g", 30) is None
    assert cheese.per_100g["fat_g"] == 29.2


def test_measures_group_and_names(table: FoodTable) -> None:
    # WEIGHT.txt: ~01001~^1^1^~pat (1" sq, 1/3" high)~^5.0  /  ^2^1^~tbsp~^14.2  /  ^3^1^~cup~^227
    #             ~01001~^4^1^~stick~^113
    butter = table.get("01001")
    assert butter.measures == [
        Measure(1.0, 'pat (1" sq, 1/3" high)', 5.0),
        Measure(1.0, "tbsp", 14.2),
        Measure(1.0, "cup", 227.0),
        Measure(1.0, "stick", 113.0),
    ]
    assert butter.group == "Dairy and Egg Products"
    assert butter.name == "Butter, salted"
    assert table.get("01053").name == "Cream, fluid, heavy whipping"


def test_nutrient_numbers_match_nutr_def() -> None:
    defs = {r[0]: r for r in raw_records("NUTR_DEF.txt")}
    for n in SR28_NUTRIENTS:
        assert defs[n.sr28][3] == n.sr28_desc
    # 8:0 and 10:0 are 609 and 610 (607/608 are 4:0 and 6:0).
    assert defs["609"][3] == "8:0" and defs["610"][3] == "10:0"
    assert defs["607"][3] == "4:0" and defs["608"][3] == "6:0"
    by_key = {n.key: n.sr28 for n in NUTRIENTS}
    assert (by_key["fa_8_0_g"], by_key["fa_10_0_g"], by_key["carb_g"]) == ("609", "610", "205")


def test_data_file_records_release_and_checksums() -> None:
    doc = load_document()
    assert doc["source"]["release"] == "USDA SR28, slightly revised May 2016"
    hashes = doc["source"]["files_sha256"]
    assert sorted(hashes) == sorted(INPUT_FILES)
    # The SHA-256 of the published NUT_DATA.txt (data/usda-sr28/SHA256SUMS):
    assert hashes["NUT_DATA.txt"] == (
        "506c9ee39a276ac8f53565d270597e430944ec3363adb53a91cc6ee8c061fac5"
    )
    for name, digest in hashes.items():
        assert hashlib.sha256(raw_bytes(name)).hexdigest() == digest


def test_shipped_release_matches_its_published_checksums() -> None:
    """Every file in data/usda-sr28 decompresses to the bytes SHA256SUMS names, and every
    listed file is there (read with the standard library, not with spasmcare.foods.sr28)."""
    listed = {}
    for line in (REPO_SR28_DIR / "SHA256SUMS").read_text(encoding="ascii").splitlines():
        digest, name = line.split()
        listed[name] = digest
    assert len(listed) == 8 and set(INPUT_FILES) <= set(listed)
    for name, digest in listed.items():
        data = lzma.decompress((REPO_SR28_DIR / f"{name}.xz").read_bytes())
        assert hashlib.sha256(data).hexdigest() == digest, name


def test_build_refuses_a_copy_that_differs_from_its_checksums(
    sr28_subset: Path, tmp_path: Path
) -> None:
    names = ("FD_GROUP.txt", "FOOD_DES.txt", "NUTR_DEF.txt", "NUT_DATA.txt", "WEIGHT.txt")
    sums = {n: hashlib.sha256((sr28_subset / n).read_bytes()).hexdigest() for n in names}
    (sr28_subset / "SHA256SUMS").write_text("".join(f"{d}  {n}\n" for n, d in sums.items()))
    assert build(sr28_subset, tmp_path / "ok.json.gz").foods == 40  # the sums match
    weight = sr28_subset / "WEIGHT.txt"
    weight.write_bytes(weight.read_bytes().replace(b"~01001~", b"~01002~", 1))
    out = tmp_path / "out.json.gz"
    with pytest.raises(InputError, match="WEIGHT.txt") as err:
        build(sr28_subset, out)
    assert err.value.field == "--sr28" and sums["WEIGHT.txt"] in err.value.accepted
    assert not out.exists()


def test_build_reads_xz_compressed_files(sr28_subset: Path, tmp_path: Path) -> None:
    plain = build(sr28_subset, tmp_path / "plain.json.gz")
    for name in ("FOOD_DES.txt", "NUT_DATA.txt"):
        path = sr28_subset / name
        (sr28_subset / f"{name}.xz").write_bytes(lzma.compress(path.read_bytes()))
        path.unlink()
    packed = build(sr28_subset, tmp_path / "packed.json.gz")
    assert packed.sha256 == plain.sha256  # the same table, input hashes of the published text


def test_data_file_is_small() -> None:
    assert DEFAULT_PATH.stat().st_size < 3_000_000


def test_subset_build_is_byte_reproducible(sr28_subset: Path, tmp_path: Path) -> None:
    first = build(sr28_subset, tmp_path / "a.json.gz")
    second = build(sr28_subset, tmp_path / "b.json.gz")
    data = (tmp_path / "a.json.gz").read_bytes()
    assert data == (tmp_path / "b.json.gz").read_bytes()
    assert first.sha256 == second.sha256 == hashlib.sha256(data).hexdigest()
    assert first.foods == 40
    assert data[4:8] == b"\0\0\0\0"  # gzip MTIME field is zero
    doc = load_document(tmp_path / "a.json.gz")
    assert doc["foods"]["id"][0] == "01001"
    assert doc["values"]["fat_g"][0] == 81.11


def test_committed_file_equals_a_fresh_full_build(tmp_path: Path) -> None:
    result = build(sr28_dir(), tmp_path / "sr28.json.gz")
    assert result.foods == 8789
    assert (tmp_path / "sr28.json.gz").read_bytes() == DEFAULT_PATH.read_bytes()


def test_encode_sorts_keys() -> None:
    a = gzip.decompress(encode({"b": 1, "a": [None, 1.5]}))
    assert a == b'{"a":[null,1.5],"b":1}'


def test_build_rejects_a_directory_without_sr28(tmp_path: Path) -> None:
    out = tmp_path / "out.json.gz"
    with pytest.raises(InputError) as err:
        build(tmp_path, out)
    assert err.value.field == "--sr28"
    assert not out.exists()


def test_build_rejects_unexpected_nutrient_definitions(sr28_subset: Path, tmp_path: Path) -> None:
    nutr_def = sr28_subset / "NUTR_DEF.txt"
    text = nutr_def.read_bytes()
    nutr_def.write_bytes(text.replace(b"~609~^~g~^~F8D0~^~8:0~", b"~609~^~g~^~F8D0~^~4:0~"))
    out = tmp_path / "out.json.gz"
    with pytest.raises(InputError, match="609"):
        build(sr28_subset, out)
    assert not out.exists()
