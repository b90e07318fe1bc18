"""A clinic's confirmation of one flagged protocol detail, written as a new protocol version.

See :mod:`spasmcare.therapy.protocol` for the rules of versions and grades: a released file is
never rewritten, so a confirmation is a new file ``<id>.v<N+1>.yaml`` in the clinic's directory.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from spasmcare.errors import InputError
from spasmcare.therapy.protocol import (
    ENV_PROTOCOLS_DIR,
    Confirmation,
    Protocol,
    all_versions,
    coerce_parameter,
    read_file,
    resolve_protocols_dir,
    validate_protocol,
)


def confirm_detail(
    protocol: Protocol,
    detail: str,
    by: str,
    protocols_dir: str | Path | None,
    value: Any = None,
    note: str | None = None,
    at: datetime | None = None,
) -> Protocol:
    """Record a clinic's confirmation of one flagged detail as a new protocol version.

    The new file ``<id>.v<N+1>.yaml`` (N = the highest version known) is written to the clinic's
    directory; it holds the whole protocol, the new confirmation, and ``derived_from`` (version
    and hash of the version it was made from). No existing file is changed.

    Parameters
    ----------
    protocol : Protocol
        The version being confirmed.
    detail : str
        A key of ``protocol.details``.
    by : str
        Who confirms (name and role).
    protocols_dir : path
        The clinic's directory (required; default ``$SPASMCARE_PROTOCOLS_DIR``).
    value : optional
        For a detail tied to a parameter, the confirmed value of that parameter (default: the
        parameter's current default). Not accepted for other details.
    note : str, optional
        Free text kept with the confirmation.
    at : datetime, optional
        When (default now, UTC).

    Returns
    -------
    Protocol
        The new version.
    """
    directory = resolve_protocols_dir(protocols_dir)
    if directory is None:
        raise InputError(
            "--protocols-dir", None, f"the clinic's protocols directory (or ${ENV_PROTOCOLS_DIR})"
        )
    details = protocol.details
    if detail not in details:
        accepted = "a flagged detail of this protocol: " + (", ".join(sorted(details)) or "(none)")
        raise InputError("--detail", detail, accepted)
    if not by or not by.strip():
        raise InputError("--by", by, "the name of the person confirming")
    spec = details[detail]
    param = spec.get("parameter")
    data = json.loads(json.dumps(protocol.data))  # deep copy, plain types
    if param is not None:
        chosen = coerce_parameter(
            protocol,
            param,
            protocol.parameters[param]["default"] if value is None else value,
            field="--value",
        )
        data["parameters"][param]["default"] = chosen
        value = chosen
    elif value is not None:
        raise InputError("--value", value, f"no value: detail {detail} has no parameter")
    for course in data["courses"]:
        for phase in course["phases"]:
            if phase.get("detail") == detail and phase["dose"] is None:
                raise InputError(
                    "--detail",
                    detail,
                    "a detail whose doses are written in the protocol: first copy the protocol "
                    "into the clinic's directory with a new version and write the doses of phase "
                    f"{phase['name']!r}",
                )
    versions = all_versions(directory)
    new_version = max(versions.get(protocol.id, {protocol.version: protocol})) + 1
    when = (at or datetime.now(UTC)).replace(microsecond=0).isoformat()
    data["version"] = new_version
    data["derived_from"] = {
        "version": protocol.version,
        "sha256": protocol.sha256,
        "origin": protocol.origin,
    }
    data.setdefault("confirmations", []).append(
        Confirmation(detail=detail, by=by.strip(), at=when, value=value, note=note).to_dict()
    )
    validate_protocol(data, f"{protocol.id} version {new_version}")
    header = (
        f"# {protocol.id} version {new_version}: clinic copy made by spasmcare from version "
        f"{protocol.version} ({protocol.origin}).\n# Never edit this file: copy it with a new "
        "version number instead.\n"
    )
    text = header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    path = directory / f"{protocol.id}.v{new_version}.yaml"
    with path.open("x", encoding="utf-8") as handle:  # never overwrite
        handle.write(text)
    return read_file(path, "clinic")
