"""FHIR and Bulk Data pages: a patient's Bundle download, EHR Observations import, and the
clinicians' NDJSON export of their care teams' patients with progress (de-identified, or
identified for the data steward). The mapping and checks are the domain's
(:mod:`spasmcare.interop`); these views fetch rows, call it through
:mod:`spasmcare.web.clinic.audit`
(the only writer) or :mod:`spasmcare.web.interop.bulk_export`, and render."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render

from spasmcare.errors import InputError
from spasmcare.interop.bulk import MANIFEST
from spasmcare.interop.fhir import FhirOptions, record_bundle
from spasmcare.web.accounts.access import CREATE, may_export_identified, may_write
from spasmcare.web.accounts.access import current_patient as _patient
from spasmcare.web.accounts.access import current_user as _user
from spasmcare.web.clinic import audit, pathway_rows, pathway_store, records
from spasmcare.web.clinic.models import KIND_LABELS, Kind
from spasmcare.web.clinic.uploads import json_upload
from spasmcare.web.interop import bulk_export as bulk
from spasmcare.web.interop.models import BulkExport

#: Exports listed on the bulk export page.
LISTED = 20


def patient_fhir(request: HttpRequest, pid: int) -> HttpResponse:
    """The patient's record as a FHIR R4B Bundle (JSON download)."""
    patient = _patient(request)
    try:
        options = FhirOptions(today=records.today())
        body = json.dumps(record_bundle(records.load_record(patient), options), indent=2)
    except InputError as exc:
        messages.error(request, f"The record cannot be exported as FHIR: {exc}")
        return redirect("patient_dashboard", pid=pid)
    response = HttpResponse(body, content_type="application/fhir+json")
    response["Content-Disposition"] = f'attachment; filename="{patient.record_id}.fhir.json"'
    return response


class FhirImportForm(forms.Form):
    file = forms.FileField(
        help_text="a FHIR Bundle (JSON) of Observations from the hospital record"
    )


def fhir_import(request: HttpRequest, pid: int) -> HttpResponse:
    patient = _patient(request)
    form = FhirImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            data = json_upload(upload, "a FHIR Bundle")
            result = audit.import_fhir(
                patient, data, _user(request), pathway=_records_pathway(_user(request))
            )
        except InputError as exc:
            form.add_error("file", f"{exc.field}: {exc.value!r} is not accepted; {exc.accepted}")
        else:
            return render(
                request,
                "web/interop/fhir_import_done.html",
                {
                    "patient": patient,
                    "added": [_added_row(section, item) for section, item in result.added],
                    "not_imported": result.not_imported,
                },
            )
    return render(request, "web/interop/fhir_import.html", {"patient": patient, "form": form})


_GROWTH_WORDS = (
    ("weight_kg", "weight", "kg"),
    ("length_cm", "length", "cm"),
    ("head_circumference_cm", "head circumference", "cm"),
)


def _records_pathway(user: Any) -> bool:
    """Whether ``user`` records care-pathway items (issue 23; access.WRITES)."""
    return may_write(user, CREATE, Kind.PATHWAY)


def _added_row(section: str, item: dict[str, Any]) -> dict[str, Any]:
    """One added item in words: what, the values with units, and its date."""
    if section == "pathway":  # care pathway (issue 23)
        kind, part = item["kind"], item["item"]
        return {
            "what": KIND_LABELS[kind],
            "values": pathway_store.part_words(kind, part),
            "day": pathway_rows.item_day(kind, part),
        }
    if section == "growth":
        values = ", ".join(
            f"{word} {item[key]:g} {unit}" for key, word, unit in _GROWTH_WORDS if key in item
        )
        return {"what": "Growth", "values": values, "day": date.fromisoformat(item["date"])}
    from spasmcare.record.units import ANALYTES

    label = ANALYTES[item["analyte"]].label if item["analyte"] in ANALYTES else item["analyte"]
    at = datetime.fromisoformat(item["at"])
    return {"what": "Lab", "values": f"{label} {item['value']:g} {item['unit']}", "day": at}


def _job_view(job: BulkExport) -> dict[str, Any]:
    percent = (
        round(100 * job.done / job.total) if job.total else (100 if job.status == "done" else 0)
    )
    return {
        "key": str(job.key),
        "scope": job.team.name if job.team else "all my care teams",
        "identified": job.identified,
        "status": job.status,
        "done": job.done,
        "total": job.total,
        "percent": percent,
        "resources": job.resources,
        "error": job.error,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
        "files": job.manifest.get("output", []) if job.manifest else [],
    }


def bulk_export(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    teams = user.teams.order_by("name")
    steward = may_export_identified(user)
    if request.method == "POST":
        scope = request.POST.get("team", "")
        kind = request.POST.get("kind", "deidentified")
        team = None
        if scope:
            team = teams.filter(pk=scope).first() if scope.isdigit() else None
            if team is None:
                messages.error(
                    request, f"team: {scope!r} is not accepted; one of your care teams or all"
                )
                return redirect("bulk_export")
        if kind not in ("deidentified", "identified"):
            messages.error(request, f"kind: {kind!r} is not accepted; de-identified or identified")
            return redirect("bulk_export")
        if kind == "identified" and not steward:
            raise PermissionDenied("Only the data steward may export identified data.")
        bulk.start(team, user, identified=kind == "identified")
        messages.success(request, "Export started; this page shows its progress.")
        return redirect("bulk_export")
    jobs = [_job_view(j) for j in bulk.visible_exports(user).select_related("team")[:LISTED]]
    return render(
        request,
        "web/interop/bulk_export.html",
        {"teams": teams, "jobs": jobs, "steward": steward},
    )


def _own_job(request: HttpRequest, key: str) -> BulkExport:
    """The user's own export ``key`` (404 otherwise); an identified one only while the user
    is still the data steward (403)."""
    user = _user(request)
    job = get_object_or_404(bulk.visible_exports(user).select_related("team"), key=key)
    if job.identified and not may_export_identified(user):
        raise PermissionDenied("Only the data steward may download identified data.")
    return job


def bulk_export_status(request: HttpRequest, key: str) -> JsonResponse:
    job = _own_job(request, key)
    data = _job_view(job)
    data["started_at"] = job.started_at.isoformat()
    data["finished_at"] = job.finished_at.isoformat() if job.finished_at else None
    return JsonResponse(data)


def bulk_export_file(request: HttpRequest, key: str, name: str) -> FileResponse:
    job = _own_job(request, key)
    if job.status != BulkExport.Status.DONE:
        raise Http404("this export has not finished")
    allowed = {item["url"] for item in job.manifest.get("output", [])} | {MANIFEST}
    if name not in allowed:
        raise Http404("no such file in this export")
    path = bulk.export_dir(job) / name
    if not path.is_file():
        raise Http404("the file is no longer there")
    bulk.log_download(job, _user(request), name)
    kind = "application/json" if name == MANIFEST else "application/fhir+ndjson"
    return FileResponse(path.open("rb"), as_attachment=True, filename=name, content_type=kind)


def cohort_redcap(request: HttpRequest) -> HttpResponse:
    """The cohort page's de-identified rows (with its filters) as a REDCap data dictionary and
    flat import CSV, in one zip: the same rows as the page's CSV download."""
    import io
    import zipfile

    from spasmcare.interop.redcap import redcap_export
    from spasmcare.measures.deid import deidentify
    from spasmcare.web.research.cohorts import filtered_cohort

    _, _, c = filtered_cohort(request.GET)
    result = redcap_export(deidentify(c["selected"], settings.SPASMCARE_COHORT_K).rows)
    on = records.today().isoformat()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("redcap_dictionary.csv", result.dictionary_csv)
        z.writestr("redcap_import.csv", result.import_csv)
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="spasmcare-redcap-{on}.zip"'
    return response
