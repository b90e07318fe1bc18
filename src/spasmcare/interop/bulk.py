"""Many records as FHIR Bulk Data output: one NDJSON file per resource type plus a manifest.

The FHIR Bulk Data Access IG [1] has a server answer an ``$export`` (system, ``Patient/`` or
``Group/[id]/``) asynchronously and finish with a manifest whose ``output`` lists one or more
NDJSON files per resource type (``type``, ``url``, and optionally ``count``), with
``transactionTime``, ``request`` and ``requiresAccessToken``. :func:`write_ndjson` writes the
same shape into a directory: ``Patient.ndjson``, ``Condition.ndjson``, ... (one resource per
line, UTF-8, no line breaks inside a resource) and ``manifest.json``. Engines that read bulk
NDJSON (SMART Cumulus ETL, FHIR-to-OMOP pipelines [2]) can take the directory as it is.

Records are read and written one at a time, so memory does not grow with the clinic. Files are
written under a ``.part`` name and renamed only when every record has been exported: an error
in any record (it is named in the :class:`~spasmcare.errors.InputError`) leaves no output.

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
from typing import Any

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


def write_ndjson(
    sources: Iterable[tuple[str, Source]],
    directory: Path,
    *,
    options: FhirOptions = DEFAULT_FHIR,
    diet_targets: Mapping[str, Mapping[str, DietTargets]] | None = None,
    validate: bool = True,
    request: str = "$export",
    total: int | None = None,
    progress: Callable[[Progress], None] | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Export ``sources`` (label, record or loader) into ``directory``; return the manifest.

    ``diet_targets``: record id -> diet period id -> daily targets. ``validate`` parses every
    resource with the fhir.resources R4B models (slower; on by default). ``progress`` is called
    after each record. ``request`` is written as the manifest's ``request`` (e.g. the CLI
    command or ``Group/<team>/$export``).
    """
    directory.mkdir(parents=True, exist_ok=True)
    when = (now or datetime.now(UTC)).astimezone(UTC)
    counts = dict.fromkeys(RESOURCE_TYPES, 0)
    parts = {t: directory / (ndjson_name(t) + PART) for t in RESOURCE_TYPES}
    handles = {t: parts[t].open("w", encoding="utf-8", newline="\n") for t in RESOURCE_TYPES}
    done = 0
    written = 0
    try:
        for label, source in sources:
            try:
                record = source() if callable(source) else source
                targets = (diet_targets or {}).get(record.patient.id)
                resources = record_resources(record, options, targets)
                if validate:
                    validate_resources(resources)
            except InputError as exc:
                raise InputError(f"{label}: {exc.field}", exc.value, exc.accepted) from exc
            for r in resources:
                kind = r["resourceType"]
                handles[kind].write(json.dumps(r, ensure_ascii=False, separators=(",", ":")))
                handles[kind].write("\n")
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
    output = []
    for kind in RESOURCE_TYPES:
        final = directory / ndjson_name(kind)
        if counts[kind]:
            os.replace(parts[kind], final)
            output.append({"type": kind, "url": final.name, "count": counts[kind]})
        else:
            parts[kind].unlink(missing_ok=True)
            final.unlink(missing_ok=True)
    manifest = {
        "transactionTime": when.isoformat().replace("+00:00", "Z"),
        "request": request,
        "requiresAccessToken": False,
        "output": output,
        "error": [],
        "extension": {"spasmcare": {"records": done, "fhirVersion": "4.3.0"}},
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
