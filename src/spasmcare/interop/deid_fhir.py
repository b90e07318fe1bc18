"""De-identified FHIR resources for a bulk export: pseudonyms, shifted dates, no free text.

:func:`deidentify_resources` turns the resources of one record (:func:`spasmcare.interop.fhir.
record_resources`) into the ones a de-identified bulk export writes:

- **Pseudonyms.** The Patient's id is the cohort key of the record,
  :func:`spasmcare.measures.cohort.pseudonym` (a keyed one-way hash of the record id with the
  installation's salt), so a row of the cohort CSV and the patient's NDJSON lines share a key.
  Every other resource id, and every ``reference``, is replaced by a keyed hash of the original
  id under the same salt: references still resolve inside the export, ids cannot be traced
  back without the salt.
- **No identifiers.** Patient ``name``, ``birthDate`` and every ``identifier`` (record id,
  treatment and diet ids) are left out.
- **Dates shifted.** Every date and date-time is moved by the same whole number of days for
  one patient (:func:`date_shift_days`, between -:data:`MAX_SHIFT_DAYS` and
  +:data:`MAX_SHIFT_DAYS`, never 0, from a keyed hash of the record id), so the intervals a
  response measure needs (days from the treatment start) are kept and the calendar dates are
  not; the time of day is kept. The birth date is removed, not shifted.
- **No free text.** Every element that can carry words typed by a person is left out
  (:data:`FREE_TEXT_KEYS`: ``text``, ``note``, ``display``, ``valueString``, ``instruction``,
  ``baseFormulaProductName``, ``comment``); the drug of a MedicationRequest or
  MedicationAdministration becomes a coded concept (:func:`spasmcare.measures.cohort.
  drug_code`, system :data:`DRUG_SYSTEM`). Codes, quantities and their units are kept. An
  extension left without a value, and an element left empty, are dropped.

This is a pseudonymised release (the salt holder can link it back), not an anonymous one;
docs/MULTICENTRE.md says what it is fit for.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any

import orjson

from spasmcare.interop.fhir import CODE_SYSTEM
from spasmcare.measures.cohort import drug_code, pseudonym

#: Software setting (not a clinical number): the largest date shift either way [days].
MAX_SHIFT_DAYS = 182
#: Elements that can carry free text; left out of a de-identified resource.
FREE_TEXT_KEYS: frozenset[str] = frozenset(
    {
        "text",
        "note",
        "display",
        "valueString",
        "instruction",
        "baseFormulaProductName",
        "comment",
    }
)
#: Elements that identify the person or an item of their record; left out.
IDENTIFYING_KEYS: frozenset[str] = frozenset({"identifier", "name", "birthDate", "telecom"})
#: Code system of the coded drug of a de-identified medication resource.
DRUG_SYSTEM = f"{CODE_SYSTEM}/drug"
_LEFT_OUT = FREE_TEXT_KEYS | IDENTIFYING_KEYS
_MISSING = object()
_MEDICATION = "medicationCodeableConcept"
_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})(T.*)?")
_EXTENSIONS = ("extension", "modifierExtension")


def _key(salt: str | bytes) -> bytes:
    return salt.encode("utf-8") if isinstance(salt, str) else salt


def date_shift_days(record_id: str, salt: str | bytes) -> int:
    """The patient's date shift: a keyed hash of the record id mapped onto
    -MAX_SHIFT_DAYS..-1 and 1..MAX_SHIFT_DAYS."""
    pseudonym(record_id, salt)  # the salt's own length check
    digest = hmac.new(_key(salt), b"date-shift\0" + record_id.encode("utf-8"), hashlib.sha256)
    n = int.from_bytes(digest.digest()[:4], "big") % (2 * MAX_SHIFT_DAYS)
    return n - MAX_SHIFT_DAYS if n < MAX_SHIFT_DAYS else n - MAX_SHIFT_DAYS + 1


class _Deid:
    """One patient's de-identification. Sub-elements the mapping shares between resources
    (the subject reference, a code used by every diary day) are walked once: ``memo`` maps
    the id of an element seen and its key to (the element, its result), the element kept so
    its id cannot be reused while the memo lives."""

    def __init__(self, patient_ids: Mapping[str, str], salt: bytes, shift: int) -> None:
        self.ids = dict(patient_ids)
        self.mac = hmac.new(salt, b"resource-id\0", hashlib.sha256)
        self.shift = timedelta(days=shift)
        self.memo: dict[tuple[int, str], tuple[Any, Any]] = {}
        self.dates: dict[str, str] = {}
        self.same: dict[tuple[str, bytes], Any] = {}

    def new_id(self, old: str) -> str:
        new = self.ids.get(old)
        if new is None:
            mac = self.mac.copy()
            mac.update(old.encode("utf-8"))
            self.ids[old] = new = mac.hexdigest()[:32]
        return new

    def text(self, key: str, v: str) -> str:
        if key == "id":
            return self.new_id(v)
        if key == "reference" and "/" in v:
            kind, _, old = v.partition("/")
            return f"{kind}/{self.new_id(old)}"
        if len(v) >= 10 and v[4] == "-" and v[7] == "-":
            done = self.dates.get(v)
            if done is not None:
                return done
            m = _DATE.fullmatch(v)
            if m is not None:
                shifted = date.fromisoformat(m.group(1)) + self.shift
                self.dates[v] = done = shifted.isoformat() + (m.group(2) or "")
                return done
        return v

    def value(self, key: str, v: Any) -> Any:
        kind = type(v)
        if kind is str:
            return self.text(key, v)
        if kind is not dict and kind is not list:
            return v
        memo_key = (id(v), key)
        seen = self.memo.get(memo_key)
        if seen is not None and seen[0] is v:
            return seen[1]
        if kind is dict:
            if key == _MEDICATION:
                code = drug_code(v.get("text", ""))
                out: Any = {"coding": [{"system": DRUG_SYSTEM, "code": code}]}
            else:
                out = self.element(v)
        else:
            out = [x for x in (self.value(key, x) for x in v) if x != {} and x != []]
            if key in _EXTENSIONS:
                out = [x for x in out if type(x) is not dict or set(x) - {"url"}]
        self.memo[memo_key] = (v, out)
        return out

    def resource(self, data: Mapping[str, Any]) -> dict[str, Any]:
        """One resource. Its elements recur across the patient's resources (the category
        and code of every diary day, the subject, a spasm count): an element equal to one
        already done (same key, same JSON text) reuses that result."""
        out: dict[str, Any] = {}
        for k, v in data.items():
            if k in _LEFT_OUT:
                continue
            kind = type(v)
            if kind is str:
                new = self.new_id(v) if k == "id" else self.text(k, v)
            elif kind is dict or kind is list:
                text = (k, orjson.dumps(v))
                new = self.same.get(text, _MISSING)
                if new is _MISSING:
                    self.same[text] = new = self.value(k, v)
            else:
                new = v
            if new is not None and new != {} and new != []:
                out[k] = new
        return out

    def element(self, data: Mapping[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for k, v in data.items():
            if k in _LEFT_OUT:
                continue
            new = self.value(k, v)
            if new is not None and new != {} and new != []:
                out[k] = new
        return out


def deidentify_resources(
    resources: Sequence[Mapping[str, Any]], record_id: str, salt: str | bytes
) -> list[dict[str, Any]]:
    """The de-identified copies of one record's ``resources`` (see the module notes)."""
    key = pseudonym(record_id, salt)
    patients = {
        str(r["id"]): key for r in resources if r.get("resourceType") == "Patient" and "id" in r
    }
    deid = _Deid(patients, _key(salt), date_shift_days(record_id, salt))
    return [deid.resource(r) for r in resources]
