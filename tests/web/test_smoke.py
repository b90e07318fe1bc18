
from spasmcare.web.models import Entry, Patient


def test_import_creates_entries(patient: Patient) -> None:
    assert patient.record_id == "demo-0001"
    assert Entry.objects.filter(patient=patient, kind="diary").count() == 151
