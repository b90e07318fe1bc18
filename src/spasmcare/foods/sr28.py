"""Build and read the packaged USDA SR28 food table.

``build(sr28_dir, out)`` turns the SR28 ASCII release into ``data/sr28.json.gz``: a columnar
JSON document (one list per field, aligned by food), written deterministically (sorted keys,
gzip with mtime 0 and no file name) so that building twice gives identical bytes. The file
records the release and the SHA-256 of every input file. A nutrient absent from NUT_DATA is
``null`` in the file and ``None`` in Python: missing values are never zero.

Each input file is read as USDA published it (``FOOD_DES.txt``) or xz-compressed beside it
(``FOOD_DES.txt.xz``, as the repository ships the release in ``data/usda-sr28/``); the recorded
SHA-256 is always that of the published text. A ``SHA256SUMS`` file in the directory is checked
before anything is read, so a damaged or altered copy is refused.

References
----------
.. [1] USDA Agricultural Research Service, Nutrient Data Laboratory. USDA National Nutrient
   Database for Standard Reference, Release 28 (slightly revised May 2016). Documentation
   (sr28_doc.pdf): file formats of FOOD_DES, NUT_DATA, NUTR_DEF, WEIGHT and FD_GROUP
   (caret-delimited, text between tildes, ISO-8859-1). Public domain.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import lzma
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spasmcare.bounded import read_bytes, size_words
from spasmcare.errors import InputError
from spasmcare.foods.nutrients import SR28_NUTRIENTS

SR28_RELEASE = "USDA SR28, slightly revised May 2016"
SR28_PUBLISHER = (
    "USDA Agricultural Research Service, Nutrient Data Laboratory: USDA National Nutrient "
    "Database for Standard Reference, Release 28 (public domain)"
)
SR28_SOURCE = "USDA SR28"
FORMAT = "spasmcare-sr28/1"

#: The SR28 files read by the build (all are checksummed in the output).
INPUT_FILES: tuple[str, ...] = (
    "FD_GROUP.txt",
    "FOOD_DES.txt",
    "NUTR_DEF.txt",
    "NUT_DATA.txt",
    "WEIGHT.txt",
)

#: The release shipped in the repository (``make foods-data``); not in an installed package.
REPO_SR28_DIR = Path(__file__).resolve().parents[3] / "data" / "usda-sr28"

#: Largest SR28 input file read [bytes] (software setting: NUT_DATA.txt, the largest, is
#: 40.4 MB), and largest decompressed food table (the packaged one is 2.4 MB); files are read
#: through :mod:`spasmcare.bounded`, so neither a huge file nor an xz or gzip bomb exhausts memory.
MAX_INPUT_FILE_BYTES = 100_000_000
MAX_TABLE_BYTES = 100_000_000

DATA_DIR = Path(__file__).parent / "data"
DEFAULT_PATH = DATA_DIR / "sr28.json.gz"

_UNITS = {"g": "g", "mg": "mg", "kcal": "kcal", "\u00b5g": "µg"}


def read_release_file(sr28_dir: Path, name: str) -> bytes:
    """The published bytes of one SR28 file: ``name`` itself, else ``name.xz`` decompressed,
    either way at most :data:`MAX_INPUT_FILE_BYTES`."""
    plain = sr28_dir / name
    if plain.is_file():
        return read_bytes(plain, "--sr28", MAX_INPUT_FILE_BYTES)
    packed = sr28_dir / f"{name}.xz"
    data = lzma.LZMADecompressor().decompress(
        read_bytes(packed, "--sr28", MAX_INPUT_FILE_BYTES), max_length=MAX_INPUT_FILE_BYTES + 1
    )
    if len(data) > MAX_INPUT_FILE_BYTES:
        raise InputError(
            "--sr28", str(packed), f"an SR28 file of at most {MAX_INPUT_FILE_BYTES:,} bytes"
        )
    return data


def _records(sr28_dir: Path, name: str) -> Iterator[list[str]]:
    """Fields of each line of an SR28 ASCII file (tildes removed, Latin-1, CRLF or LF)."""
    text = read_release_file(sr28_dir, name).decode("latin-1")
    for line in text.splitlines():
        if not line:
            continue
        fields = line.split("^")
        yield [f[1:-1] if len(f) >= 2 and f[0] == "~" and f[-1] == "~" else f for f in fields]


def _sha256(sr28_dir: Path, name: str) -> str:
    return hashlib.sha256(read_release_file(sr28_dir, name)).hexdigest()


def _check_dir(sr28_dir: Path) -> None:
    missing = [
        name
        for name in INPUT_FILES
        if not (sr28_dir / name).is_file() and not (sr28_dir / f"{name}.xz").is_file()
    ]
    if missing:
        raise InputError(
            "--sr28",
            str(sr28_dir),
            "a directory holding the SR28 ASCII files "
            + ", ".join(INPUT_FILES)
            + f", plain or .xz (missing: {', '.join(missing)})",
        )


def _check_sums(sr28_dir: Path) -> dict[str, str]:
    """SHA-256 of every input file, checked against ``SHA256SUMS`` where the directory has one."""
    sums = {name: _sha256(sr28_dir, name) for name in INPUT_FILES}
    listed = sr28_dir / "SHA256SUMS"
    if listed.is_file():
        expected = {}  # name -> digest, from sha256sum's "DIGEST  NAME" lines
        for line in listed.read_text(encoding="ascii").splitlines():
            if line.strip():
                listed_digest, listed_name = line.split(maxsplit=1)
                expected[listed_name.lstrip("*")] = listed_digest
        for name, digest in sums.items():
            if expected.get(name) != digest:
                raise InputError(
                    "--sr28",
                    str(sr28_dir / name),
                    f"the published file whose SHA-256 is {expected.get(name, '(not listed)')} "
                    f"in SHA256SUMS (this copy: {digest})",
                )
    return sums


def _check_nutr_def(sr28_dir: Path) -> None:
    """Fail if NUTR_DEF does not define our nutrient numbers as we expect (unit, name)."""
    defs = {r[0]: r for r in _records(sr28_dir, "NUTR_DEF.txt")}
    for n in SR28_NUTRIENTS:
        row = defs.get(n.sr28 or "")
        if row is None or _UNITS.get(row[1]) != n.unit or row[3] != n.sr28_desc:
            raise InputError(
                "--sr28",
                str(sr28_dir),
                f"an SR28 release whose NUTR_DEF defines {n.sr28} as {n.sr28_desc!r} [{n.unit}] "
                f"(found {row[1:4] if row else 'nothing'})",
            )


def build_document(sr28_dir: Path) -> dict[str, Any]:
    """Read the SR28 ASCII files in ``sr28_dir`` and return the columnar document."""
    sr28_dir = Path(sr28_dir)
    _check_dir(sr28_dir)
    files_sha256 = _check_sums(sr28_dir)
    _check_nutr_def(sr28_dir)

    groups = {r[0]: r[1] for r in _records(sr28_dir, "FD_GROUP.txt")}
    foods = sorted(_records(sr28_dir, "FOOD_DES.txt"), key=lambda r: r[0])
    index = {r[0]: i for i, r in enumerate(foods)}
    wanted = {n.sr28: n.key for n in SR28_NUTRIENTS}
    values: dict[str, list[float | None]] = {n.key: [None] * len(foods) for n in SR28_NUTRIENTS}
    for r in _records(sr28_dir, "NUT_DATA.txt"):
        key = wanted.get(r[1])
        if key is not None and r[2] != "" and r[0] in index:
            values[key][index[r[0]]] = float(r[2])

    measures: list[list[tuple[int, list[Any]]]] = [[] for _ in foods]
    for r in _records(sr28_dir, "WEIGHT.txt"):
        if r[0] in index:
            measures[index[r[0]]].append((int(r[1]), [float(r[2]), r[3], float(r[4])]))

    return {
        "format": FORMAT,
        "source": {
            "release": SR28_RELEASE,
            "publisher": SR28_PUBLISHER,
            "files_sha256": files_sha256,
        },
        "nutrients": {n.key: {"sr28": n.sr28, "unit": n.unit} for n in SR28_NUTRIENTS},
        "groups": groups,
        "foods": {
            "id": [r[0] for r in foods],
            "name": [r[2] for r in foods],
            "group": [r[1] for r in foods],
            "common_name": [r[4] for r in foods],
        },
        "values": values,
        "measures": [[m for _, m in sorted(ms, key=lambda t: t[0])] for ms in measures],
    }


def encode(document: dict[str, Any]) -> bytes:
    """Deterministic bytes: compact JSON with sorted keys, gzip with mtime 0 and no name."""
    raw = json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, compresslevel=9, mtime=0) as gz:
        gz.write(raw.encode("utf-8"))
    return buf.getvalue()


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file, so a failure leaves no half file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; a data file is world-readable
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@dataclass(frozen=True)
class BuildResult:
    out: Path
    foods: int
    measures: int
    bytes: int
    sha256: str
    release: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "out": str(self.out),
            "foods": self.foods,
            "measures": self.measures,
            "bytes": self.bytes,
            "sha256": self.sha256,
            "release": self.release,
        }


def build(sr28_dir: Path, out: Path | None = None) -> BuildResult:
    """Build the packaged table from the SR28 ASCII files (see module docstring)."""
    document = build_document(Path(sr28_dir))
    data = encode(document)
    target = Path(out) if out is not None else DEFAULT_PATH
    write_atomic(target, data)
    return BuildResult(
        out=target,
        foods=len(document["foods"]["id"]),
        measures=sum(len(m) for m in document["measures"]),
        bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        release=document["source"]["release"],
    )


def load_document(path: Path | None = None) -> dict[str, Any]:
    """Read a file written by :func:`build` (the packaged one by default)."""
    target = Path(path) if path is not None else DEFAULT_PATH
    with gzip.open(target, "rb") as fh:
        raw = fh.read(MAX_TABLE_BYTES + 1)
    if len(raw) > MAX_TABLE_BYTES:
        raise InputError(
            "--table",
            str(target),
            f"a food table of at most {size_words(MAX_TABLE_BYTES)} uncompressed "
            "(a software limit)",
        )
    document: dict[str, Any] = json.loads(raw.decode("utf-8"))
    if document.get("format") != FORMAT:
        raise ValueError(f"{target}: not a {FORMAT} food table")
    return document
