"""Many records as FHIR Bulk Data output: one NDJSON file per resource type plus a manifest.

The FHIR Bulk Data Access IG [1] has a server answer an ``$export`` (system, ``Patient/`` or
``Group/[id]/``) asynchronously and finish with a manifest whose ``output`` lists one or more
NDJSON files per resource type (``type``, ``url``, and optionally ``count``), with
``transactionTime``, ``request`` and ``requiresAccessToken``. :func:`write_ndjson` writes the
same shape into a directory: ``Patient.ndjson``, ``Condition.ndjson``, ... (one resource per
line, UTF-8, no line breaks inside a resource) and ``manifest.json``. Engines that read bulk
NDJSON (SMART Cumulus ETL, FHIR-to-OMOP pipelines [2]) can take the directory as it is.

Records are read and written one at a time, so memory does not grow with the clinic: each
resource is serialised once (orjson) and appended to its type's file as one line. Files are
written under a ``.part`` name and renamed only when every record has been exported: an error
in any record (it is named in the :class:`~spasmcare.errors.InputError`) leaves no output.

The ``fhir.resources`` model check is optional and sampled (``check_every``): 0 checks
nothing, 1 every resource, N the first resource of each type and then every Nth of that type
(:data:`DEFAULT_CHECK_EVERY`, a software setting). A de-identified export (``deidentify_salt``)
writes the resources of :func:`spasmcare.interop.deid_fhir.deidentify_resources`.

References
----------
1. HL7 FHIR Bulk Data Access IG STU2 (v2.0.0), "Response - Complete Status": the manifest's
   transactionTime, request, requiresAccessToken, output[type, url, count], error
   (hl7.org/fhir/uv/bulkdata/export.html).
2. spasmcare reference notes, interop-and-peers.md §3: cumulus-etl reads bulk NDJSON; OMOP
   pipelines on PostgreSQL or Spark.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from spasmcare.errors import InputError
from spasmcare.interop.fhir import (
    DEFAULT_FHIR,
    RESOURCE_TYPES,
    DietTargets,
    FhirOptions,
    record_resources,
    validate_resources,
)
from spasmcare.record.model import Record

MANIFEST = "manifest.json"
PART = ".part"
#: Software setting: check the first resource of each type and then every Nth with the
#: fhir.resources models (1 = every resource, 0 = none).
DEFAULT_CHECK_EVERY = 1000
#: Write buffer of each NDJSON file [bytes].
BUFFER_BYTES = 1 << 20

#: One item to export: a record, or a callable that loads it (so a file is read only when its
#: turn comes and a bad file is named by ``label``).
Source = Record | Callable[[], Record]


@dataclass(frozen=True)
class Progress:
    """How far an export is: ``done`` of ``total`` records (``total`` None when unknown)."""

    done: int
    total: int | None
    resources: int


def ndjson_name(resource_type: str) -> str:
    return f"{resource_type}.ndjson"


class _Sampler:
    """Which resources the model check sees: the first of each type, then every Nth."""

    def __init__(self, every: int) -> None:
        if every < 0:
            raise InputError("check_every", every, "0 (no check), 1 (every resource) or more")
        self.every = every
        self.seen: dict[str, int] = {}

    def pick(self, resources: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if self.every == 0:
            return []
        if self.every == 1:
            return resources
        out = []
        for r in resources:
            kind = r["resourceType"]
            n = self.seen.get(kind, 0)
            self.seen[kind] = n + 1
            if n % self.every == 0:
                out.append(r)
        return out


def _record_lines(
    record: Record,
    options: FhirOptions,
    targets: Mapping[str, DietTargets] | None,
    sampler: _Sampler,
    deidentify_salt: str | bytes | None,
) -> list[dict[str, Any]]:
    resources = record_resources(record, options, targets)
    if deidentify_salt is not None:
        from spasmcare.interop.deid_fhir import deidentify_resources

        resources = deidentify_resources(resources, record.patient.id, deidentify_salt)
    checked = sampler.pick(resources)
    if checked:
        validate_resources(checked)
    return resources


def write_ndjson(
    sources: Iterable[tuple[str, Source]],
    directory: Path,
    *,
    options: FhirOptions = DEFAULT_FHIR,
    diet_targets: Mapping[str, Mapping[str, DietTargets]] | None = None,
    check_every: int = DEFAULT_CHECK_EVERY,
    deidentify_salt: str | bytes | None = None,
    request: str = "$export",
    total: int | None = None,
    progress: Callable[[Progress], None] | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Export ``sources`` (label, record or loader) into ``directory``; return the manifest.

    ``diet_targets``: record id -> diet period id -> daily targets. ``check_every``: the
    sampled fhir.resources model check (see the module notes). ``deidentify_salt``: write the
    de-identified resources, keyed with this salt (the cohort pseudonym salt). ``progress``
    is called after each record. ``request`` is written as the manifest's ``request`` (e.g.
    the CLI command or ``Group/<team>/$export``).
    """
    sampler = _Sampler(check_every)
    directory.mkdir(parents=True, exist_ok=True)
    when = (now or datetime.now(UTC)).astimezone(UTC)
    counts = dict.fromkeys(RESOURCE_TYPES, 0)
    parts = {t: directory / (ndjson_name(t) + PART) for t in RESOURCE_TYPES}
    handles: dict[str, BinaryIO] = {
        t: parts[t].open("wb", buffering=BUFFER_BYTES) for t in RESOURCE_TYPES
    }
    done = 0
    written = 0
    dumps, newline = orjson.dumps, orjson.OPT_APPEND_NEWLINE
    try:
        for label, source in sources:
            try:
                record = source() if callable(source) else source
                targets = (diet_targets or {}).get(record.patient.id)
                resources = _record_lines(record, options, targets, sampler, deidentify_salt)
            except InputError as exc:
                raise InputError(f"{label}: {exc.field}", exc.value, exc.accepted) from exc
            for r in resources:
                kind = r["resourceType"]
                handles[kind].write(dumps(r, option=newline))
                counts[kind] += 1
            done += 1
            written += len(resources)
            if progress is not None:
                progress(Progress(done, total, written))
    except BaseException:
        for h in handles.values():
            h.close()
        for p in parts.values():
            p.unlink(missing_ok=True)
        raise
    for h in handles.values():
        h.close()
    return _finish(directory, parts, counts, when, request, done, deidentify_salt is not None)


def _finish(
    directory: Path,
    parts: Mapping[str, Path],
    counts: Mapping[str, int],
    when: datetime,
    request: str,
    done: int,
    deidentified: bool,
) -> dict[str, Any]:
    output = []
    for kind in RESOURCE_TYPES:
        final = directory / ndjson_name(kind)
        if counts[kind]:
            os.replace(parts[kind], final)
            output.append({"type": kind, "url": final.name, "count": counts[kind]})
        else:
            parts[kind].unlink(missing_ok=True)
            final.unlink(missing_ok=True)
    extension = {"records": done, "fhirVersion": "4.3.0", "deidentified": deidentified}
    manifest = {
        "transactionTime": when.isoformat().replace("+00:00", "Z"),
        "request": request,
        "requiresAccessToken": False,
        "output": output,
        "error": [],
        "extension": {"spasmcare": extension},
    }
    tmp = directory / (MANIFEST + PART)
    tmp.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, directory / MANIFEST)
    return manifest


def read_ndjson(path: Path) -> Iterable[dict[str, Any]]:
    """The resources of one NDJSON file, one per non-empty line."""
    with path.open(encoding="utf-8") as handle:
        for i, line in enumerate(handle, start=1):
            if line.strip():
                try:
                    yield json.loads(line)
                except json.JSONDecodeError as exc:
                    raise InputError(
                        f"{path.name} line {i}", line[:40], "one JSON resource"
                    ) from exc
