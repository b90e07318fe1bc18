"""Data in and out by the field's standards: FHIR R4B, FHIR Bulk Data NDJSON and REDCap.

- :mod:`spasmcare.interop.fhir`: one patient record as a FHIR R4B Bundle (and its resources),
  validated with the ``fhir.resources`` R4B models.
- :mod:`spasmcare.interop.bulk`: many records as one NDJSON file per resource type with a
  manifest shaped like the FHIR Bulk Data ``$export`` output.
- :mod:`spasmcare.interop.redcap`: the clinic cohort as a REDCap data dictionary and a matching
  flat import CSV, built from :func:`spasmcare.measures.cohort.cohort_rows`, so the cohort
  page's de-identification applies unchanged.
- :mod:`spasmcare.interop.fhir_import`: EHR Observations (weight, length, head circumference,
  labs) into a record through the record validator.

Pure Python: no web or database code. ``fhir.resources`` is imported only inside the functions
that validate, so importing this package costs nothing at CLI start-up.
"""
