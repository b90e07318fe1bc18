"""One patient record as FHIR R4B resources and a ``collection`` Bundle.

:func:`record_resources` maps a :class:`spasmcare.record.Record` to plain FHIR JSON dicts:

- **Patient**: identifier (the record id, under :attr:`FhirOptions.identifier_system`), name
  (optional), gender, birth date.
- **Condition**: West syndrome, SNOMED CT 28055006 [1], onset date, no clinical status (the
  record does not say whether the syndrome is active or resolved); the etiology (category,
  gene, free text) in the extension :data:`EXT_ETIOLOGY`, because no sourced code set for the
  record's etiology groups was found [1].
- **Observation**, category ``vital-signs``: body weight LOINC 29463-7 [kg], length
  (recumbent) LOINC 8306-3 [cm], head circumference LOINC 8287-5 [cm] [1]; WHO
  weight-for-length under 24 months, LOINC 77606-2 "Weight-for-length Per age and sex", as a
  centile [%] (the unit US Core's pediatric weight-for-height profile gives the code [6]) with
  the z-score as a component under the local code ``weight-for-length-z``.
- **Observation**, category ``laboratory``: glucose LOINC 15074-8 "Glucose [Moles/volume] in
  Blood" [mmol/L] [1]; blood beta-hydroxybutyrate with the code chosen by
  :attr:`FhirOptions.bhb_loinc` (sources disagree, see :data:`BHB_LOINC_CHOICES`); other
  analytes with their name as text and the local code :data:`CODE_SYSTEM` ``lab-<analyte>``
  (no sourced LOINC code), always in the record's SI unit with its UCUM code.
- **Observation**, category ``survey``: spasms per recorded diary day [/d]. No LOINC code for a
  seizure count was found [1], so the local code ``spasms-per-day`` is used. Only the days
  listed in ``recorded_days`` are exported (a day not listed is unknown, never spasm-free).
- **Observation**, category ``survey``: each seizure other than spasms (``other_seizures``),
  its ILAE 2017 basic type as a local code (:mod:`spasmcare.interop.fhir_seizures`).
- **Observation**, category ``procedure``: each EEG (hypsarrhythmia yes/no, Kramer items,
  total and variants, BASED grade as components; the report as a note), local codes.
- **Observation**: each achieved ketogenic ratio reading (``valueRatio`` fat : protein +
  carbohydrate by weight), local code ``ketogenic-ratio-achieved``.
- **AdverseEvent** per side effect of the diet (issue 24, ``side_effects``): actuality
  ``actual``, the effect under the local code ``side-effect-<code>`` with its label, ``date``
  the onset, ``outcome`` resolved or ongoing [7], the CTCAE v5.0 grade (1-5) in the extension
  :data:`EXT_CTCAE_GRADE` and the resolution date in :data:`EXT_RESOLVED` (R4B AdverseEvent has
  neither element), the diet period as ``suspectEntity`` text, who reported it in ``recorder``
  display, the action taken in :data:`EXT_ACTION` (R4B AdverseEvent has no note).
- **MedicationRequest** per drug course: one dosage line per dose step with a
  ``timing.repeat.boundsPeriod`` from the step's start to the day before the next step (or
  the course's stop), the way the spec's tapering example ``medrx0303`` carries a prednisone
  taper [2]. A course that ``continues`` another names it in ``priorPrescription``.
- **MedicationAdministration** per dose ticked as given (``doses_given``): status
  ``completed``, or ``not-done`` for a dose ticked as not given; the drug as text; the tick's
  date (with the schedule time when the record has one and a time zone is set) as
  ``effectiveDateTime``; the course's MedicationRequest as ``request``; the dose as the
  schedule showed it in ``dosage.text`` [5].
- **Observation**, categories ``survey`` / ``exam``: development at onset, milestones and
  instrument scores as entered (local codes with text; no LOINC code verified), see
  :mod:`spasmcare.interop.fhir_development`.
- **NutritionOrder** per diet period: ``oralDiet.type`` as text (no SNOMED CT code for the
  ketogenic diet was found; the FHIR diet-type value set holds the children of 182922004
  "Dietary regime" [1, 3]); the prescribed ratio as the extension :data:`EXT_KETOGENIC_RATIO`
  (``valueRatio`` g fat : g protein + carbohydrate), since NutritionOrder has no ratio element
  [1]; and, when daily targets are given (:class:`DietTargets`), ``oralDiet.nutrient``
  amounts for fat, protein and carbohydrate [g] and energy, or for infant formula feeds an
  ``enteralFormula`` with the volume per feed and the feeds a day [3].

The dicts are plain JSON; :func:`validate_resources` parses each one with the
``fhir.resources`` R4B model of its type (imported lazily, so the CLI does not pay for it at
start-up) and raises :class:`~spasmcare.errors.InputError` naming the resource and the problem.

Resource ids are UUID 5 values derived from the record id and the item, so the same record
always gives the same ids and two records never share one. References are relative
(``Patient/<id>``), as FHIR Bulk Data NDJSON uses them; in the Bundle each ``fullUrl`` is
``<base_url>/<type>/<id>`` so the references resolve [4].

Times: the record stores local date-times without a time zone, and FHIR requires a zone
offset whenever a time is given. With :attr:`FhirOptions.time_zone` unset (the default) only
the date is exported; set it (an IANA name such as ``Europe/London``) to export times.

References
----------
1. spasmcare reference notes, interop-and-peers.md §2 "Codes": body weight 29463-7; length
   8306-3 "Body height --lying"; head circumference 8287-5; glucose 15074-8 (mmol/L, blood;
   2339-0 is the mass/volume code); blood BHB candidates 66441-7, 104816-4, 53061-8, 29512-1,
   43923-2; no LOINC code for seizure frequency; West syndrome SNOMED CT 28055006; no SNOMED CT
   code for the ketogenic diet; NutritionOrder has no ketogenic-ratio element.
2. HL7 FHIR R4 MedicationRequest example medrx0303, "Order for Tapering Dose": multiple
   dosageInstruction entries with timing.repeat.boundsPeriod
   (hl7.org/fhir/2021Mar/medicationrequest0303.xml.html).
3. HL7 FHIR NutritionOrder: oralDiet.type, oralDiet.nutrient (modifier + amount),
   enteralFormula.baseFormulaProductName, caloricDensity, administration (schedule, quantity),
   and the examples infantenteral, enteralbolus (build.fhir.org/nutritionorder-examples).
4. HL7 FHIR R4 Bundle: resolving references in Bundles (relative references resolve against
   the base of the entry's fullUrl), hl7.org/fhir/R4/bundle.html#references.
5. HL7 FHIR R4 MedicationAdministration: required status (MedicationAdminStatus codes include
   completed and not-done), medication[x], subject and effective[x]; request references the
   MedicationRequest; dosage.text is free text (hl7.org/fhir/R4/medicationadministration.html).
6. HL7 US Core, Pediatric Weight for Height Observation profile: LOINC 77606-2, valueQuantity
   in % (UCUM ``%``), category vital-signs.
7. HL7 FHIR R4B AdverseEvent: actuality (actual | potential), event, subject, date, outcome
   (terminology.hl7.org CodeSystem adverse-event-outcome: resolved, ongoing, ...), recorder,
   suspectEntity.instance (hl7.org/fhir/R4B/adverseevent.html).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import Any

from spasmcare.errors import InputError
from spasmcare.interop.fhir_codes import (
    _DOSE_UNITS,
    AE_OUTCOME,
    BHB_LOINC_CHOICES,
    CODE_SYSTEM,
    CONDITION_CATEGORY,
    DEFAULT_BASE_URL,
    DEFAULT_BHB_LOINC,
    DEFAULT_FHIR,
    DEFAULT_IDENTIFIER_SYSTEM,
    EXT_ACTION,
    EXT_CTCAE_GRADE,
    EXT_ETIOLOGY,
    EXT_KETOGENIC_RATIO,
    EXT_RESOLVED,
    FHIR_VERSION,
    GLUCOSE,
    HEAD,
    LENGTH,
    LOINC,
    OBS_CATEGORY,
    SNOMED,
    UCUM,
    UCUM_OF_UNIT,
    WEIGHT,
    WEIGHT_FOR_LENGTH,
    WEST_SYNDROME,
    DietTargets,
    FhirOptions,
    _coding,
    _concept,
    _number,
    _quantity,
    _when,
    resource_id,
)
from spasmcare.interop.fhir_development import development_observations
from spasmcare.interop.fhir_observations import ObservationBuilder, _ratio
from spasmcare.interop.fhir_pathway import pathway_resources
from spasmcare.interop.fhir_seizures import other_seizure_observations
from spasmcare.interop.fhir_side_effects import side_effect_resource
from spasmcare.measures.status import STOPPED, course_state
from spasmcare.plain import day_text
from spasmcare.record.model import DIET_LABELS, DoseGiven, Record, Treatment

#: This module's names, and the codes and settings of :mod:`spasmcare.interop.fhir_codes` it
#: re-exports (callers import them from here).
__all__ = [
    "RESOURCE_TYPES",
    "bundle",
    "record_bundle",
    "record_resources",
    "validate_resources",
    "AE_OUTCOME",
    "BHB_LOINC_CHOICES",
    "CODE_SYSTEM",
    "CONDITION_CATEGORY",
    "DEFAULT_BASE_URL",
    "DEFAULT_BHB_LOINC",
    "DEFAULT_FHIR",
    "DEFAULT_IDENTIFIER_SYSTEM",
    "EXT_ACTION",
    "EXT_CTCAE_GRADE",
    "EXT_ETIOLOGY",
    "EXT_KETOGENIC_RATIO",
    "EXT_RESOLVED",
    "FHIR_VERSION",
    "GLUCOSE",
    "HEAD",
    "LENGTH",
    "LOINC",
    "OBS_CATEGORY",
    "SNOMED",
    "UCUM",
    "UCUM_OF_UNIT",
    "WEIGHT",
    "WEIGHT_FOR_LENGTH",
    "WEST_SYNDROME",
    "DietTargets",
    "FhirOptions",
    "resource_id",
]


class _Builder(ObservationBuilder):
    def patient(self) -> dict[str, Any]:
        p = self.record.patient
        out: dict[str, Any] = {
            "resourceType": "Patient",
            "id": self.patient_id,
            "identifier": [{"system": self.options.identifier_system, "value": p.id}],
            "gender": p.sex,
            "birthDate": p.birth_date.isoformat(),
        }
        if self.options.include_name and p.name:
            out["name"] = [{"text": p.name}]
        return out

    def condition(self) -> dict[str, Any]:
        p, e = self.record.patient, self.record.etiology
        parts: list[dict[str, Any]] = [{"url": "category", "valueCode": e.category}]
        if e.gene:
            parts.append({"url": "gene", "valueString": e.gene})
        if e.detail:
            parts.append({"url": "detail", "valueString": e.detail})
        out: dict[str, Any] = {
            "resourceType": "Condition",
            "id": self.rid("Condition", "west-syndrome"),
            "extension": [{"url": EXT_ETIOLOGY, "extension": parts}],
            "category": [
                {"coding": [_coding(CONDITION_CATEGORY, "encounter-diagnosis", "Diagnosis")]}
            ],
            "code": _concept(SNOMED, *WEST_SYNDROME),
            "subject": self.subject,
        }
        if p.onset_date is not None:
            out["onsetDateTime"] = p.onset_date.isoformat()
        words = f"Etiology: {e.category}" + (f", {e.gene}" if e.gene else "")
        out["note"] = [{"text": words + (f". {e.detail}" if e.detail else "")}]
        return out

    def side_effects(self) -> Iterable[dict[str, Any]]:
        """One AdverseEvent per side effect of the diet (issue 24) [7]."""
        for i, se in enumerate(self.record.side_effects):
            yield side_effect_resource(se, self.rid("AdverseEvent", str(i)), self.subject)

    def medication_requests(self) -> Iterable[dict[str, Any]]:
        for t in self.record.treatments:
            yield self.medication_request(t)

    def medication_request(self, t: Treatment) -> dict[str, Any]:
        doses = sorted(t.doses, key=lambda d: d.start)
        lines = []
        for i, dose in enumerate(doses, start=1):
            end = doses[i].start - timedelta(days=1) if i < len(doses) else t.stop
            lines.append(_dosage(i, dose.amount, dose.unit, dose.start, end, dose.note))
        out: dict[str, Any] = {
            "resourceType": "MedicationRequest",
            "id": self.rid("MedicationRequest", t.id),
            "identifier": [{"system": f"{CODE_SYSTEM}/treatment-id", "value": t.id}],
            # the shared status: a course stopped before the export day is completed; one in
            # force or still to start (its planned stop ahead) is active
            "status": "completed"
            if course_state(t, self.options.today or date.today()) == STOPPED
            else "active",
            "intent": "order",
            "medicationCodeableConcept": {"text": t.drug},
            "subject": self.subject,
            "authoredOn": t.start.isoformat(),
        }
        if lines:
            out["dosageInstruction"] = lines
        if t.continues:
            out["priorPrescription"] = {
                "reference": f"MedicationRequest/{self.rid('MedicationRequest', t.continues)}"
            }
        notes = [x for x in (f"Protocol: {t.protocol}" if t.protocol else None, t.note) if x]
        if notes:
            out["note"] = [{"text": n} for n in notes]
        return out

    def medication_administrations(self) -> Iterable[dict[str, Any]]:
        for g in self.record.doses_given:
            yield self.medication_administration(g)

    def medication_administration(self, g: DoseGiven) -> dict[str, Any]:
        treatment = self.record.treatment(g.treatment)
        drug = g.drug or (treatment.drug if treatment is not None else g.treatment)
        when: date | datetime = g.day
        if g.time:
            hour, minute = (int(x) for x in g.time.split(":"))
            when = datetime(g.day.year, g.day.month, g.day.day, hour, minute)
        key = f"{g.treatment}/{g.day.isoformat()}/{g.time or ''}"
        out: dict[str, Any] = {
            "resourceType": "MedicationAdministration",
            "id": self.rid("MedicationAdministration", key),
            "status": "completed" if g.given else "not-done",
            "medicationCodeableConcept": {"text": drug},
            "subject": self.subject,
            "effectiveDateTime": _when(when, self.options),
            "request": {
                "reference": f"MedicationRequest/{self.rid('MedicationRequest', g.treatment)}"
            },
        }
        if g.dose:
            out["dosage"] = {"text": g.dose}
        if g.note:
            out["note"] = [{"text": g.note}]
        return out

    def nutrition_orders(
        self, targets: Mapping[str, DietTargets] | None
    ) -> Iterable[dict[str, Any]]:
        for d in self.record.diet_periods:
            label = DIET_LABELS.get(d.diet, d.diet)
            period: dict[str, Any] = {"start": d.start.isoformat()}
            if d.stop is not None:
                period["end"] = d.stop.isoformat()
            out: dict[str, Any] = {
                "resourceType": "NutritionOrder",
                "id": self.rid("NutritionOrder", d.id),
                "identifier": [{"system": f"{CODE_SYSTEM}/diet-period-id", "value": d.id}],
                "status": "active" if d.stop is None else "completed",
                "intent": "order",
                "patient": self.subject,
                "dateTime": d.start.isoformat(),
            }
            if d.prescribed_ratio is not None:
                out["extension"] = [
                    {"url": EXT_KETOGENIC_RATIO, "valueRatio": _ratio(d.prescribed_ratio)}
                ]
            oral: dict[str, Any] = {
                "type": [
                    {"coding": [_coding(CODE_SYSTEM, f"diet-{d.diet}", label)], "text": label}
                ],
                "schedule": [{"repeat": {"boundsPeriod": period}}],
            }
            words = label + (
                f", ratio {_number(d.prescribed_ratio)}:1" if d.prescribed_ratio else ""
            )
            oral["instruction"] = words
            t = (targets or {}).get(d.id)
            if t is not None and t.feeds_per_day:
                out["enteralFormula"] = _enteral(t, period)
                out["oralDiet"] = {"type": oral["type"], "instruction": words}
            else:
                if t is not None:
                    nutrients = _nutrients(t)
                    if nutrients:
                        oral["nutrient"] = nutrients
                out["oralDiet"] = oral
            if d.note:
                out["note"] = [{"text": d.note}]
            yield out


_NUTRIENT_WORDS = (("fat_g", "Fat"), ("protein_g", "Protein"), ("carb_g", "Carbohydrate"))


def _nutrients(t: DietTargets) -> list[dict[str, Any]]:
    out = []
    for name, word in _NUTRIENT_WORDS:
        value = getattr(t, name)
        if value is not None:
            out.append(
                {
                    "modifier": {
                        "coding": [_coding(CODE_SYSTEM, f"nutrient-{word.lower()}", word)],
                        "text": word,
                    },
                    "amount": _quantity(value, "g/day", "g/d"),
                }
            )
    if t.kcal is not None:
        out.append(
            {
                "modifier": {
                    "coding": [_coding(CODE_SYSTEM, "nutrient-energy", "Energy")],
                    "text": "Energy",
                },
                "amount": _quantity(t.kcal, "kcal/day", "kcal/d"),
            }
        )
    return out


def _enteral(t: DietTargets, period: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"baseFormulaProductName": t.formula or "ketogenic formula feed"}
    admin: dict[str, Any] = {
        "schedule": {
            "repeat": {
                "boundsPeriod": period,
                "frequency": t.feeds_per_day,
                "period": 1,
                "periodUnit": "d",
            }
        }
    }
    if t.feed_volume_ml is not None:
        admin["quantity"] = _quantity(t.feed_volume_ml, "mL", "mL")
    out["administration"] = [admin]
    if t.kcal is not None and t.feed_volume_ml and t.feeds_per_day:
        out["caloricDensity"] = _quantity(
            t.kcal / (t.feed_volume_ml * t.feeds_per_day), "kcal/mL", "kcal/mL"
        )
    if t.fluid_ml is not None:
        out["maxVolumeToDeliver"] = _quantity(t.fluid_ml, "mL", "mL")
    return out


def _dosage(
    sequence: int, amount: float, unit: str, start: date, end: date | None, note: str | None
) -> dict[str, Any]:
    shown, ucum, per_day, alternate = _DOSE_UNITS.get(unit, (unit, None, False, False))
    bounds: dict[str, Any] = {"start": start.isoformat()}
    if end is not None:
        bounds["end"] = end.isoformat()
    repeat: dict[str, Any] = {"boundsPeriod": bounds}
    text = f"{_number(amount)} {unit} from {day_text(start)}"
    if end is not None:
        text += f" to {day_text(end)}"
    if note:
        text += f" ({note})"
    rate: dict[str, Any]
    if per_day:
        rate = {
            "rateRatio": {
                "numerator": _quantity(amount, shown, ucum),
                "denominator": _quantity(1, "day", "d"),
            }
        }
    else:
        rate = {"doseQuantity": _quantity(amount, shown, ucum)}
        repeat.update({"frequency": 1, "period": 2 if alternate else 1, "periodUnit": "d"})
    return {
        "sequence": sequence,
        "text": text,
        "timing": {"repeat": repeat},
        "doseAndRate": [rate],
    }


#: Resource types in the order of the Bundle and of the Bulk Data output files.
RESOURCE_TYPES: tuple[str, ...] = (
    "Patient",
    "Condition",
    "Observation",
    "MedicationRequest",
    "MedicationAdministration",
    "NutritionOrder",
    "AdverseEvent",  # issue 24: diet side effects
)


def record_resources(
    record: Record,
    options: FhirOptions = DEFAULT_FHIR,
    diet_targets: Mapping[str, DietTargets] | None = None,
) -> list[dict[str, Any]]:
    """The FHIR R4B resources of one record as JSON dicts, Patient first (see the module
    docstring for the mapping). ``diet_targets``: diet period id -> daily targets."""
    b = _Builder(record, options)
    out = [b.patient(), b.condition()]
    out += b.growth()
    out += b.labs()
    out += b.spasm_days()
    out += other_seizure_observations(b)  # issue 23 item 6
    out += b.eegs()
    out += b.ratios()
    out += b.medication_requests()
    out += b.medication_administrations()
    out += b.side_effects()
    out += b.nutrition_orders(diet_targets)
    out += pathway_resources(record)  # issue 23: referral, work-up, failures, overrides
    out += development_observations(record.development, b.observation)  # issue 25
    return out


def bundle(
    resources: list[dict[str, Any]],
    options: FhirOptions = DEFAULT_FHIR,
    timestamp: datetime | None = None,
) -> dict[str, Any]:
    """A ``collection`` Bundle of ``resources`` (each entry's fullUrl under ``base_url``).

    ``timestamp`` must carry a time zone (FHIR instant); without it the Bundle has none.
    """
    if not resources or resources[0].get("resourceType") != "Patient":
        raise InputError("resources", None, "the resources of one record, Patient first")
    base = options.base_url.rstrip("/")
    out: dict[str, Any] = {
        "resourceType": "Bundle",
        "id": resources[0]["id"],
        "meta": {"tag": [{"system": CODE_SYSTEM, "code": "spasmcare-export"}]},
        "type": "collection",
        "entry": [
            {"fullUrl": f"{base}/{r['resourceType']}/{r['id']}", "resource": r} for r in resources
        ],
    }
    if timestamp is not None:
        if timestamp.tzinfo is None:
            raise InputError("timestamp", timestamp.isoformat(), "a time with a time zone")
        text = timestamp.isoformat()
        out["timestamp"] = text[:-6] + "Z" if text.endswith("+00:00") else text
    return out


def record_bundle(
    record: Record,
    options: FhirOptions = DEFAULT_FHIR,
    diet_targets: Mapping[str, DietTargets] | None = None,
    timestamp: datetime | None = None,
    validate: bool = True,
) -> dict[str, Any]:
    """One record as a validated FHIR R4B ``collection`` Bundle (a JSON dict)."""
    out = bundle(record_resources(record, options, diet_targets), options, timestamp)
    if validate:
        validate_resources([out])
    return out


def validate_resources(resources: Iterable[Mapping[str, Any]]) -> int:
    """Parse every resource with the ``fhir.resources`` R4B model of its ``resourceType``;
    return how many were checked. Raises InputError naming the first invalid one."""
    from fhir.resources.R4B import get_fhir_model_class
    from pydantic import ValidationError

    count = 0
    for i, data in enumerate(resources):
        kind = data.get("resourceType")
        try:
            model = get_fhir_model_class(str(kind))
        except (KeyError, ValueError) as exc:
            raise InputError(
                f"resources[{i}].resourceType", kind, "a FHIR R4B resource type"
            ) from exc
        try:
            model.model_validate(dict(data))
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first.get("loc", ()))
            raise InputError(
                f"{kind}/{data.get('id') or '(no id)'}.{where}",
                first.get("input"),
                str(first.get("msg")),
            ) from exc
        count += 1
    return count
