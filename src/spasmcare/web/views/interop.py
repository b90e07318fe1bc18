"""FHIR and Bulk Data pages: a patient's Bundle download, EHR Observations import, and the
admin's clinic-wide NDJSON export with progress. The mapping and checks are the domain's
(:mod:`spasmcare.interop`); these views fetch rows, call it through :mod:`spasmcare.web.audit`
(the only writer) or :mod:`spasmcare.web.bulk`, and render."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render

from spasmcare.errors import InputError
from spasmcare.interop.bulk import MANIFEST
from spasmcare.interop.fhir import FhirOptions, record_bundle
from spasmcare.web import audit, bulk, records
from spasmcare.web.access import current_patient as _patient
from spasmcare.web.access import current_user as _user
from spasmcare.web.models import BulkExport, CareTeam

#: Largest FHIR Bundle accepted for import [bytes]: a software setting.
MAX_BUNDLE_BYTES = 20 * 1024 * 1024
#: Exports listed on the admin page.
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
            if upload.size > MAX_BUNDLE_BYTES:
                raise InputError("file", upload.name, "a FHIR Bundle under 20 MB")
            try:
                data = json.loads(upload.read().decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise InputError("file", upload.name, f"a JSON file ({exc})") from None
            result = audit.import_fhir(patient, data, _user(request))
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


def _added_row(section: str, item: dict[str, Any]) -> dict[str, Any]:
    """One added item in words: what, the values with units, and its date."""
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
        "scope": job.team.name if job.team else "whole clinic",
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
    teams = CareTeam.objects.order_by("name")
    if request.method == "POST":
        scope = request.POST.get("team", "")
        team = None
        if scope:
            team = teams.filter(pk=scope).first() if scope.isdigit() else None
            if team is None:
                messages.error(
                    request, f"team: {scope!r} is not accepted; a care team or the whole clinic"
                )
                return redirect("bulk_export")
        bulk.start(team, _user(request))
        messages.success(request, "Export started; this page shows its progress.")
        return redirect("bulk_export")
    jobs = [_job_view(j) for j in BulkExport.objects.select_related("team")[:LISTED]]
    return render(request, "web/interop/bulk_export.html", {"teams": teams, "jobs": jobs})


def bulk_export_status(request: HttpRequest, key: str) -> JsonResponse:
    job = get_object_or_404(BulkExport.objects.select_related("team"), key=key)
    data = _job_view(job)
    data["started_at"] = job.started_at.isoformat()
    data["finished_at"] = job.finished_at.isoformat() if job.finished_at else None
    return JsonResponse(data)


def bulk_export_file(request: HttpRequest, key: str, name: str) -> FileResponse:
    job = get_object_or_404(BulkExport, key=key, status=BulkExport.Status.DONE)
    allowed = {item["url"] for item in job.manifest.get("output", [])} | {MANIFEST}
    if name not in allowed:
        raise Http404("no such file in this export")
    path = bulk.export_dir(job) / name
    if not path.is_file():
        raise Http404("the file is no longer there")
    kind = "application/json" if name == MANIFEST else "application/fhir+ndjson"
    return FileResponse(path.open("rb"), as_attachment=True, filename=name, content_type=kind)


def cohort_redcap(request: HttpRequest) -> HttpResponse:
    """The cohort page's de-identified rows (with its filters) as a REDCap data dictionary and
    flat import CSV, in one zip: the same rows as the page's CSV download."""
    import io
    import zipfile

    from django.conf import settings

    from spasmcare.interop.redcap import redcap_export
    from spasmcare.measures.deid import deidentify
    from spasmcare.web.cohorts import filtered_cohort

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
