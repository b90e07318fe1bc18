"""Drug-course protocols: versioned YAML files, clinic copies and clinic confirmations.

A protocol is one YAML file named ``<id>.v<version>.yaml``. The bundled files live in
``spasmcare/therapy/protocols``; a clinic keeps its own copies in a directory it names
(``--protocols-dir`` or the environment variable ``SPASMCARE_PROTOCOLS_DIR``).

Rules
-----
* A released version is never rewritten: every change (an edit, a confirmation) is a new file
  with a higher version number, created with exclusive-create so an existing file is never
  overwritten.
* A clinic file may not reuse the id and version of a bundled file with different content.
* Every detail the dose or schedule relies on is listed under ``details`` with its evidence
  ``grade`` [1]: FIRM (the primary or regulatory text was read), SECONDARY (a peer-reviewed
  summary, manufacturer, national digest) or NOT FOUND (no source). FIRM and SECONDARY details
  are used in a plan by default, their grade and sources shown beside the dose; a NOT FOUND
  detail (or a detail without a grade, as in files written before grades existed) is not used
  until the clinic has confirmed it (:func:`spasmcare.therapy.confirm.confirm_detail`). A
  clinic may confirm any detail; the confirmation (who, when, which detail, optional value) is
  stored in the clinic's new version and the detail is then shown as "clinic-confirmed".
* Each phase may carry its own ``grade`` for the doses it gives when it has no detail.
* The version used by default (:func:`default_version`) is the newest version in the clinic's
  directory when the clinic has one, else the newest bundled version: a clinic's confirmed
  copy is what its courses use until it confirms a newer one.
* A plan records the id, version and SHA-256 of the file it used, so it can be re-made
  identically later (:func:`load_protocol` with ``expect_sha256``).

References
----------
1. Drug protocols and keto therapy: evidence update (December 2026), grades FIRM / SECONDARY /
   NOT FOUND (shared reference ``drug-protocols-evidence.md``, "Grades").
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from spasmcare.errors import InputError
from spasmcare.therapy import validated

ENV_PROTOCOLS_DIR = "SPASMCARE_PROTOCOLS_DIR"
BUNDLED_DIR = Path(str(resources.files("spasmcare.therapy") / "protocols"))
FILENAME = re.compile(r"^(?P<id>[a-z0-9][a-z0-9-]*)\.v(?P<version>[1-9][0-9]*)\.yaml$")

#: What the plan shows in place of an unconfirmed detail.
TO_BE_CONFIRMED = "to be confirmed by the clinic"

#: Evidence grades a protocol file may give a detail or phase [1].
FIRM = "FIRM"
SECONDARY = "SECONDARY"
NOT_FOUND = "NOT FOUND"
GRADES = (FIRM, SECONDARY, NOT_FOUND)
#: Grades whose details are used in a plan without a clinic confirmation [1].
ACTIVE_GRADES = (FIRM, SECONDARY)
#: The grade shown for a detail the clinic confirmed (its own version of the protocol).
CLINIC_CONFIRMED = "clinic-confirmed"
#: The grade shown for a phase of an older file that gives none.
NOT_GRADED = "not graded"

#: The course day of the "day-7" review (the escalation decision of UKISS-style protocols).
DAY7 = 7

#: Monitoring schedule kinds that apply to one course (or to ``all`` courses); see
#: :mod:`spasmcare.therapy.monitoring`.
COURSE_SCHEDULES = ("per_week", "every_months", "after_stop_months")


@lru_cache(maxsize=1)
def _schema() -> dict[str, Any]:
    text = (resources.files("spasmcare.therapy") / "protocol.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@lru_cache(maxsize=1)
def _validator() -> jsonschema.Draft202012Validator:
    """One validator for the schema (checked once), not a new one per file."""
    cls = jsonschema.validators.validator_for(_schema())
    cls.check_schema(_schema())
    validator: jsonschema.Draft202012Validator = cls(_schema())
    return validator


@dataclass(frozen=True)
class Confirmation:
    """A clinic's confirmation of one flagged detail."""

    detail: str
    by: str
    at: str
    value: Any = None
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "detail": self.detail,
            "by": self.by,
            "at": self.at,
            "value": self.value,
            "note": self.note,
        }

    @property
    def label(self) -> str:
        """Who confirmed, and when: "Dr A (2025-01-06T09:00:00+00:00)"."""
        return f"{self.by} ({self.at})"


@dataclass(frozen=True)
class DetailStatus:
    """One flagged detail with its confirmation and whether a plan may use it."""

    detail: str
    flag: str
    what: str
    why: str
    confirmation: Confirmation | None
    confirmed: bool  # confirmed, and its tied parameters have the confirmed values
    grade: str = NOT_FOUND  # the evidence grade written in the file
    active: bool = False  # used in a plan: confirmed, or FIRM/SECONDARY at the file's values
    grade_note: str | None = None  # where the grade comes from (evidence item)

    @property
    def shown_grade(self) -> str:
        """The grade shown beside the dose: clinic-confirmed, else the file's grade."""
        return CLINIC_CONFIRMED if self.confirmed else self.grade


@dataclass(frozen=True)
class Protocol:
    """One version of one protocol, as read from its file."""

    data: dict[str, Any]
    path: Path
    origin: str  # "bundled" or "clinic"
    sha256: str

    @property
    def id(self) -> str:
        return str(self.data["id"])

    @property
    def version(self) -> int:
        return int(self.data["version"])

    @property
    def title(self) -> str:
        return str(self.data["title"])

    @property
    def sources(self) -> dict[str, str]:
        return dict(self.data["sources"])

    @property
    def details(self) -> dict[str, dict[str, Any]]:
        return dict(self.data.get("details") or {})

    @property
    def parameters(self) -> dict[str, dict[str, Any]]:
        return dict(self.data.get("parameters") or {})

    @property
    def decisions(self) -> list[dict[str, Any]]:
        return list(self.data.get("decisions") or [])

    @property
    def courses(self) -> list[dict[str, Any]]:
        return list(self.data["courses"])

    @property
    def confirmations(self) -> list[Confirmation]:
        return [
            Confirmation(
                detail=str(c["detail"]),
                by=str(c["by"]),
                at=str(c["at"]),
                value=c.get("value"),
                note=c.get("note"),
            )
            for c in self.data.get("confirmations") or []
        ]

    def confirmation(self, detail: str) -> Confirmation | None:
        """The latest confirmation of ``detail``, or None."""
        found = [c for c in self.confirmations if c.detail == detail]
        return found[-1] if found else None

    def detail_status(self, values: Mapping[str, Any] | None = None) -> list[DetailStatus]:
        """Every flagged detail with its status; ``values`` are the planning parameter values
        (default the protocol's own), see :func:`is_confirmed`."""
        effective = parameter_values(self) if values is None else values
        return [
            DetailStatus(
                detail=key,
                flag=str(spec.get("flag") or spec.get("grade") or NOT_FOUND),
                what=str(spec["what"]),
                why=str(spec["why"]),
                confirmation=self.confirmation(key),
                confirmed=is_confirmed(self, key, effective),
                grade=detail_grade(self, key),
                active=is_active(self, key, effective),
                grade_note=spec.get("grade_note"),
            )
            for key, spec in self.details.items()
        ]

    @property
    def drugs(self) -> list[str]:
        return [str(c["drug"]) for c in self.courses]

    def uses_bsa(self) -> bool:
        """True when some dose is per square metre (length is then required)."""
        for course in self.courses:
            for phase in course["phases"]:
                dose = phase.get("dose") or {}
                if "units_per_m2" in dose or "units_per_m2_per_day" in dose:
                    return True
        return False

    def summary(self) -> dict[str, Any]:
        """A short description for listings."""
        flagged = sorted(self.details)
        confirmed = sorted(d for d in flagged if self.confirmation(d) is not None)
        graded = {d: detail_grade(self, d) for d in flagged}
        return {
            "id": self.id,
            "version": self.version,
            "title": self.title,
            "drugs": self.drugs,
            "origin": self.origin,
            "path": str(self.path),
            "sha256": self.sha256,
            "needs_length": self.uses_bsa(),
            "flagged_details": flagged,
            "confirmed_details": confirmed,
            "grades": {d: (CLINIC_CONFIRMED if d in confirmed else g) for d, g in graded.items()},
            "waiting_details": sorted(
                d for d, g in graded.items() if g not in ACTIVE_GRADES and d not in confirmed
            ),
            "decisions": [d["id"] for d in self.decisions],
        }


def resolve_protocols_dir(protocols_dir: str | Path | None) -> Path | None:
    """The clinic's protocols directory: the argument, else ``$SPASMCARE_PROTOCOLS_DIR``."""
    chosen = protocols_dir if protocols_dir not in (None, "") else os.environ.get(ENV_PROTOCOLS_DIR)
    if chosen in (None, ""):
        return None
    path = Path(str(chosen))
    if not path.is_dir():
        raise InputError("--protocols-dir", str(chosen), "an existing directory")
    return path


def resolve(value: Any, values: Mapping[str, Any]) -> Any:
    """A protocol value: a ``{param: name}`` reference replaced by the parameter's value."""
    if isinstance(value, dict) and "param" in value:
        return values[value["param"]]
    return value


def day7_decision_id(protocol: Protocol) -> str | None:
    """The id of the protocol's day-7 decision (the one decision asked on course day 7), or
    None when it has none.

    Raises
    ------
    InputError
        When more than one decision is asked on day 7 (which one escalates is then unclear).
    """
    found = [str(d["id"]) for d in protocol.decisions if int(d["day"]) == DAY7]
    if len(found) > 1:
        raise InputError(
            "protocol file",
            str(protocol.path),
            "at most one decision on day 7: " + ", ".join(found),
        )
    return found[0] if found else None


def _normalise_space(value: Any) -> Any:
    """Every string with its runs of white space made single spaces (YAML folded text)."""
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, dict):
        return {k: _normalise_space(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_normalise_space(v) for v in value]
    return value


def _walk_refs(value: Any) -> Iterable[str]:
    """Every ``{param: name}`` reference inside a value."""
    if isinstance(value, dict):
        if set(value) == {"param"}:
            yield str(value["param"])
        for item in value.values():
            yield from _walk_refs(item)
    elif isinstance(value, list):
        for item in value:
            yield from _walk_refs(item)


def validate_protocol(data: Any, where: str) -> None:
    """Check a protocol document against the schema and its internal references.

    Raises
    ------
    InputError
        Naming the file, when the document is not a valid protocol.
    """
    accepted = "a protocol file matching spasmcare/therapy/protocol.schema.json"
    exc = jsonschema.exceptions.best_match(_validator().iter_errors(data))
    if exc is not None:
        loc = "/".join(str(p) for p in exc.absolute_path) or "(top)"
        raise InputError("protocol file", where, f"{accepted} (at {loc}: {exc.message})") from None
    sources = set(data["sources"])
    details = set(data.get("details") or {})
    params = set(data.get("parameters") or {})
    decisions = {d["id"] for d in data.get("decisions") or []}

    def fail(problem: str) -> None:
        raise InputError("protocol file", where, f"{accepted}; {problem}")

    def check_sources(items: Iterable[str], ctx: str) -> None:
        for s in items:
            if s not in sources:
                fail(f"{ctx} cites unknown source {s!r}")

    for key, detail in (data.get("details") or {}).items():
        check_sources(detail.get("sources", []), f"detail {key}")
        if "parameter" in detail and detail["parameter"] not in params:
            fail(f"detail {key} names unknown parameter {detail['parameter']!r}")
    for key, spec in (data.get("parameters") or {}).items():
        check_sources(spec.get("sources", []), f"parameter {key}")
        if "detail" in spec and spec["detail"] not in details:
            fail(f"parameter {key} names unknown detail {spec['detail']!r}")
        if "choices" in spec and spec["default"] not in spec["choices"]:
            fail(f"parameter {key}: default is not one of its choices")
    for decision in data.get("decisions") or []:
        check_sources(decision.get("sources", []), f"decision {decision['id']}")
    for course in data["courses"]:
        check_sources(course.get("maximum_sources", []), f"course {course['drug']}")
        check_sources(course.get("warn_sources", []), f"course {course['drug']}")
        for product in course.get("products") or []:
            if "source" in product:
                check_sources([product["source"]], f"product {product['name']}")
        names = {p["name"] for p in course["phases"]}
        for phase in course["phases"]:
            ctx = f"phase {phase['name']!r}"
            check_sources(phase.get("sources", []), ctx)
            if "detail" in phase and phase["detail"] not in details:
                fail(f"{ctx} names unknown detail {phase['detail']!r}")
            if phase["dose"] is None and "detail" not in phase:
                fail(f"{ctx} has no dose and no flagged detail")
            for ref in _walk_refs(phase):
                if ref not in params:
                    fail(f"{ctx} uses unknown parameter {ref!r}")
            for key in phase.get("when") or {}:
                if key not in decisions:
                    fail(f"{ctx} depends on unknown decision {key!r}")
            for key in phase.get("when_parameters") or {}:
                if key not in params:
                    fail(f"{ctx} depends on unknown parameter {key!r}")
            frac = (phase["dose"] or {}).get("fraction_of_phase")
            if frac and frac["phase"] not in names:
                fail(f"{ctx} refers to unknown phase {frac['phase']!r}")
    courses = {str(c["drug"]) for c in data["courses"]} | {"all"}
    for item in data.get("monitoring") or []:
        schedule = item["schedule"]
        kinds = [k for k in COURSE_SCHEDULES if k in schedule]
        if kinds and str(schedule.get("course", "all")) not in courses:
            fail(
                f"monitoring item {item['what']!r}: schedule course {schedule.get('course')!r} "
                "is not one of " + ", ".join(sorted(courses))
            )
    for item in list(data.get("monitoring") or []) + list(data.get("advice") or []):
        check_sources(item.get("sources", []), "monitoring/advice item")
        if "detail" in item and item["detail"] not in details:
            fail(f"monitoring/advice item names unknown detail {item['detail']!r}")
        for ref in _walk_refs(item):
            if ref not in params:
                fail(f"monitoring item uses unknown parameter {ref!r}")
    for conf in data.get("confirmations") or []:
        if conf["detail"] not in details:
            fail(f"confirmation of unknown detail {conf['detail']!r}")


_CACHE: dict[tuple[str, str], Protocol] = {}
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _copy(protocol: Protocol) -> Protocol:
    """A copy the caller may change (the cached protocols are shared)."""
    return replace(protocol, data=json.loads(json.dumps(protocol.data)))


def _read_shared(path: Path, origin: str) -> Protocol:
    """The parsed and validated file, shared with every other reader: never changed."""
    from spasmcare.bounded import read_bytes

    raw = read_bytes(path, "protocol file")
    digest = hashlib.sha256(raw).hexdigest()
    key = (str(path), digest)
    if key not in _CACHE:
        _CACHE[key] = _parse(path, origin, raw, digest)
    cached = _CACHE[key]
    return cached if cached.origin == origin else replace(cached, origin=origin)


def read_file(path: Path, origin: str) -> Protocol:
    """Parse and validate one file; cached by content hash (a version never changes). Read with
    the size limit of every input file (:mod:`spasmcare.bounded`)."""
    return _copy(_read_shared(path, origin))


def _parse(path: Path, origin: str, raw: bytes, digest: str) -> Protocol:
    try:
        data = yaml.load(raw, Loader=_Loader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        raise InputError("protocol file", str(path), f"valid YAML ({exc})") from None
    if not validated.is_known_valid(digest):  # validated once per file version
        validate_protocol(data, str(path))
        validated.remember_valid(digest)
    data = _normalise_space(data)
    match = FILENAME.match(path.name)
    if not match or match["id"] != data["id"] or int(match["version"]) != data["version"]:
        raise InputError(
            "protocol file", str(path), "a file named <id>.v<version>.yaml matching its content"
        )
    return Protocol(data=data, path=path, origin=origin, sha256=digest)


def _files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.glob("*.yaml") if FILENAME.match(p.name))


def _listing(files: list[Path]) -> tuple[tuple[str, int, int], ...]:
    """Each file's path, size and modification time: a file added, removed or rewritten is a
    new listing."""
    out = []
    for path in files:
        st = path.stat()
        out.append((str(path), st.st_size, st.st_mtime_ns))
    return tuple(out)


#: Every version known, by the listing of the bundled and the clinic's files it was read from
#: (:func:`_listing`), so a plan or a page that loads a protocol does not read, hash and copy
#: every file again (issue 21: 4.9 ms a call with 26 files). Shared: handed out as copies.
_KNOWN: dict[tuple[Any, ...], dict[str, dict[int, Protocol]]] = {}
#: Listings kept (a test makes many clinic directories; a clinic has one). A software setting.
KNOWN_LISTINGS = 8
_KNOWN_LOCK = threading.Lock()


def _known(protocols_dir: str | Path | None) -> dict[str, dict[int, Protocol]]:
    bundled = _files(BUNDLED_DIR)
    clinic = resolve_protocols_dir(protocols_dir)
    clinic_files = _files(clinic) if clinic is not None else []
    key = (_listing(bundled), _listing(clinic_files))
    found = _KNOWN.get(key)
    if found is not None:
        return found
    found = {}
    for path in bundled:
        p = _read_shared(path, "bundled")
        found.setdefault(p.id, {})[p.version] = p
    for path in clinic_files:
        p = _read_shared(path, "clinic")
        old = found.get(p.id, {}).get(p.version)
        if old is not None and old.sha256 != p.sha256:
            raise InputError(
                "protocol file",
                str(path),
                f"a new version number: version {p.version} of {p.id} is already the "
                "bundled version with different content, and a version is never rewritten",
            )
        found.setdefault(p.id, {})[p.version] = p
    with _KNOWN_LOCK:  # a server's threads may read a new listing at the same time
        while len(_KNOWN) >= KNOWN_LISTINGS:
            _KNOWN.pop(next(iter(_KNOWN)))
        _KNOWN[key] = found
    return found


def all_versions(protocols_dir: str | Path | None = None) -> dict[str, dict[int, Protocol]]:
    """Every protocol version known: bundled ones, then the clinic's directory (copies the
    caller may change).

    Raises
    ------
    InputError
        When a clinic file reuses a bundled id and version with different content.
    """
    return {
        pid: {v: _copy(p) for v, p in by.items()} for pid, by in _known(protocols_dir).items()
    }


def version_titles(protocols_dir: str | Path | None = None) -> dict[str, dict[int, str]]:
    """The title of every protocol version known (:func:`all_versions` without the copies)."""
    return {pid: {v: p.title for v, p in by.items()} for pid, by in _known(protocols_dir).items()}


def default_version(by_version: Mapping[int, Protocol]) -> int:
    """The version courses use by default: the newest clinic version when the clinic has one
    (its confirmed copy), else the newest bundled version."""
    clinic = [v for v, p in by_version.items() if p.origin == "clinic"]
    return max(clinic) if clinic else max(by_version)


def list_protocols(protocols_dir: str | Path | None = None) -> list[Protocol]:
    """The default version of each protocol (:func:`default_version`), sorted by id."""
    versions = all_versions(protocols_dir)
    return [versions[pid][default_version(versions[pid])] for pid in sorted(versions)]


def load_protocol(
    protocol_id: str,
    version: int | None = None,
    protocols_dir: str | Path | None = None,
    expect_sha256: str | None = None,
) -> Protocol:
    """Load one protocol: the latest version, or the given one.

    Parameters
    ----------
    protocol_id : str
        E.g. ``"prednisolone-high-dose"``.
    version : int, optional
        A specific version (to re-make a course exactly); default :func:`default_version`
        (the clinic's newest version, else the newest bundled one).
    protocols_dir : path, optional
        The clinic's directory of protocol copies (default ``$SPASMCARE_PROTOCOLS_DIR``).
    expect_sha256 : str, optional
        The content hash a course recorded; a different file raises InputError.
    """
    versions = _known(protocols_dir)
    if protocol_id not in versions:
        raise InputError("--protocol", protocol_id, "one of " + ", ".join(sorted(versions)))
    by_version = versions[protocol_id]
    if version is None:
        version = default_version(by_version)
    if version not in by_version:
        raise InputError(
            "--version", version, "one of " + ", ".join(str(v) for v in sorted(by_version))
        )
    protocol = by_version[version]
    if expect_sha256 is not None and expect_sha256 != protocol.sha256:
        raise InputError(
            "sha256", expect_sha256, f"the hash of {protocol.path.name} ({protocol.sha256})"
        )
    return _copy(protocol)


def coerce_parameter(protocol: Protocol, name: str, value: Any, field: str = "--set") -> Any:
    """Check one parameter value against the protocol's declaration; return it typed."""
    params = protocol.parameters
    if name not in params:
        accepted = "a parameter of this protocol: " + (", ".join(sorted(params)) or "(none)")
        raise InputError(field, name, accepted)
    spec = params[name]
    default = spec["default"]
    if isinstance(default, int | float) and not isinstance(default, bool):
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise InputError(field, f"{name}={value}", f"a number for {name}") from None
        typed: Any = int(number) if number.is_integer() else number
    else:
        typed = str(value)
    if "choices" in spec and typed not in spec["choices"]:
        options = ", ".join(str(c) for c in spec["choices"])
        raise InputError(field, f"{name}={value}", f"{name} one of {options}")
    lo, hi = spec.get("minimum"), spec.get("maximum")
    if (lo is not None and typed < lo) or (hi is not None and typed > hi):
        raise InputError(field, f"{name}={value}", f"{name} from {lo} to {hi}")
    return typed


def parameter_values(
    protocol: Protocol, overrides: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """Effective parameter values: the protocol defaults, then checked ``overrides``."""
    values = {k: v["default"] for k, v in protocol.parameters.items()}
    for key, value in (overrides or {}).items():
        values[key] = coerce_parameter(protocol, key, value)
    return values


def _tied_parameters(protocol: Protocol, detail: str) -> set[str]:
    """The parameters tied to a detail: its ``parameter`` and each parameter naming it."""
    params = protocol.parameters
    tied = {name for name, spec in params.items() if spec.get("detail") == detail}
    if protocol.details[detail].get("parameter"):
        tied.add(str(protocol.details[detail]["parameter"]))
    return tied


def detail_grade(protocol: Protocol, detail: str) -> str:
    """The evidence grade a protocol file gives ``detail`` [1]; NOT FOUND when it gives none
    (files written before grades existed)."""
    grade = protocol.details[detail].get("grade")
    return str(grade) if grade in GRADES else NOT_FOUND


def is_active(protocol: Protocol, detail: str, values: Mapping[str, Any]) -> bool:
    """Whether a plan uses ``detail``: confirmed by the clinic (:func:`is_confirmed`), or graded
    FIRM or SECONDARY [1] with every tied parameter at the value written in the file (a value
    changed at planning time has neither a grade nor a confirmation)."""
    if is_confirmed(protocol, detail, values):
        return True
    if detail_grade(protocol, detail) not in ACTIVE_GRADES:
        return False
    params = protocol.parameters
    return all(
        values.get(name) == params[name]["default"] for name in _tied_parameters(protocol, detail)
    )


def shown_grade(protocol: Protocol, detail: str, values: Mapping[str, Any]) -> str:
    """The grade shown beside a dose relying on ``detail``: clinic-confirmed, else the file's."""
    if is_confirmed(protocol, detail, values):
        return CLINIC_CONFIRMED
    return detail_grade(protocol, detail)


def is_confirmed(protocol: Protocol, detail: str, values: Mapping[str, Any]) -> bool:
    """Whether a flagged detail may be used in a plan.

    It may when the clinic confirmed it and every parameter tied to it (the detail's
    ``parameter`` and each parameter naming the detail) has the value written in the confirmed
    protocol file: a value changed at planning time was never confirmed.
    """
    if protocol.confirmation(detail) is None:
        return False
    params = protocol.parameters
    tied = _tied_parameters(protocol, detail)
    return all(values.get(name) == params[name]["default"] for name in tied)
