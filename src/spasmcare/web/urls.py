"""URL map of the clinic app. Each name has an access rule in
:mod:`spasmcare.web.accounts.access`."""

from django.contrib import admin
from django.urls import path

from spasmcare.web.accounts import account_views as account
from spasmcare.web.accounts import views as auth
from spasmcare.web.courses import protocol_views as protocols
from spasmcare.web.courses import views as course
from spasmcare.web.family import print_views as family_print
from spasmcare.web.family import views as family
from spasmcare.web.interop import views as interop
from spasmcare.web.keto import views as keto
from spasmcare.web.operations import views as clinic_views
from spasmcare.web.patients import views as patients
from spasmcare.web.research import views as cohort

urlpatterns = [
    path("", auth.home, name="home"),
    path("login/", auth.login_view, name="login"),
    path("logout/", auth.logout_view, name="logout"),
    path("join/<str:token>/", auth.invitation_accept, name="invitation_accept"),
    path("account/password/", account.password_change, name="password_change"),
    path("reset/<str:token>/", account.password_reset, name="password_reset"),
    # clinic
    path("patients/", patients.patient_list, name="patient_list"),
    path("patients/new/", patients.patient_new, name="patient_new"),
    path("patients/import/", patients.record_import, name="record_import"),
    path("patients/<int:pid>/", patients.dashboard, name="patient_dashboard"),
    path("patients/<int:pid>/chart/<str:name>.svg", patients.chart, name="patient_chart"),
    path("patients/<int:pid>/edit/", patients.patient_edit, name="patient_edit"),
    path("patients/<int:pid>/history/", patients.patient_history, name="patient_history"),
    path("patients/<int:pid>/report/", patients.report, name="patient_report"),
    path("patients/<int:pid>/report.json", patients.report_json, name="patient_report_json"),
    path("patients/<int:pid>/record.json", patients.record_export, name="record_export"),
    path("patients/<int:pid>/add/<str:kind>/", patients.entry_add, name="entry_add"),
    path("patients/<int:pid>/entries/<int:eid>/edit/", patients.entry_edit, name="entry_edit"),
    path(
        "patients/<int:pid>/entries/<int:eid>/retract/",
        patients.entry_retract,
        name="entry_retract",
    ),
    path(
        "patients/<int:pid>/entries/<int:eid>/history/",
        patients.entry_history,
        name="entry_history",
    ),
    path("patients/<int:pid>/invite/", patients.invitation_new, name="invitation_new"),
    path("patients/<int:pid>/invitations/", account.invitation_list, name="invitation_list"),
    path(
        "patients/<int:pid>/invitations/<int:iid>/revoke/",
        account.invitation_revoke,
        name="invitation_revoke",
    ),
    # drug course
    path("patients/<int:pid>/course/", course.planner, name="course_planner"),
    path("patients/<int:pid>/course/save/", course.save, name="course_save"),
    path("patients/<int:pid>/monitoring/", course.monitoring_tick, name="monitoring_tick"),
    path("protocols/", protocols.protocol_details, name="protocol_details"),
    path(
        "protocols/<str:protocol_id>/confirm/",
        protocols.protocol_confirm,
        name="protocol_confirm",
    ),
    path("clinic/", clinic_views.clinic_settings, name="clinic_settings"),
    path("clinic/save/", clinic_views.clinic_settings_save, name="clinic_settings_save"),
    # ketogenic diet
    path("patients/<int:pid>/keto/", keto.planner, name="keto_planner"),
    path("patients/<int:pid>/keto/solve/", keto.solve, name="keto_solve"),
    path("patients/<int:pid>/keto/save/", keto.save, name="keto_save"),
    path("foods/search/", keto.food_search, name="food_search"),
    # family
    path("family/", family.home, name="family_home"),
    path("family/<int:pid>/", family.diary, name="family_diary"),
    path("family/<int:pid>/log/", family.log, name="family_log"),
    path("family/<int:pid>/video/", family.video_upload, name="family_video"),
    path("patients/<int:pid>/videos/<uuid:key>/", family.video, name="video"),
    path("patients/<int:pid>/print/<str:page>/", family_print.printable, name="family_print"),
    # outcomes
    path("cohort/", cohort.cohort, name="cohort"),
    path("cohort.csv", cohort.cohort_csv, name="cohort_csv"),
    # FHIR and bulk export
    path("patients/<int:pid>/fhir.json", interop.patient_fhir, name="patient_fhir"),
    path("patients/<int:pid>/import-fhir/", interop.fhir_import, name="fhir_import"),
    path("cohort-redcap.zip", interop.cohort_redcap, name="cohort_redcap"),
    path("exports/", interop.bulk_export, name="bulk_export"),
    path("exports/<uuid:key>/status/", interop.bulk_export_status, name="bulk_export_status"),
    path("exports/<uuid:key>/<str:name>", interop.bulk_export_file, name="bulk_export_file"),
    # families' language, translation reviews and PDFs (issue 26)
    path("account/language/", account.language_change, name="account_language"),
    path(
        "patients/<int:pid>/print/<str:page>.pdf",
        family_print.printable_pdf,
        name="family_print_pdf",
    ),
    path("patients/<int:pid>/report.pdf", patients.report_pdf, name="patient_report_pdf"),
    path(
        "clinic/translations/<str:code>/confirm/",
        clinic_views.translation_confirm,
        name="translation_confirm",
    ),
    path("admin/", admin.site.urls),
]

handler403 = "spasmcare.web.accounts.views.forbidden"
handler404 = "spasmcare.web.accounts.views.not_found"
handler500 = "spasmcare.web.accounts.views.server_error"
