"""URL map of the clinic app. Each name has an access rule in
:mod:`spasmcare.web.accounts.access`."""

from django.contrib import admin
from django.urls import path

from spasmcare.web.accounts import account_views as account
from spasmcare.web.accounts import views as auth
from spasmcare.web.courses import protocol_views as protocols
from spasmcare.web.courses import views as course
from spasmcare.web.family import offline_views as family_offline
from spasmcare.web.family import print_views as family_print
from spasmcare.web.family import side_effects as family_side_effects
from spasmcare.web.family import views as family
from spasmcare.web.interop import views as interop
from spasmcare.web.keto import feeding_views as keto_feeding
from spasmcare.web.keto import views as keto
from spasmcare.web.keto import weaning_views as keto_weaning
from spasmcare.web.operations import views as clinic_views
from spasmcare.web.patients import development_views as development
from spasmcare.web.patients import pathway_views as pathway
from spasmcare.web.patients import views as patients
from spasmcare.web.research import development_views as cohort_development
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
    # care pathway (issue 23)
    path("patients/<int:pid>/pathway/dates/", pathway.pathway_dates, name="pathway_dates"),
    path("patients/<int:pid>/pathway/add/<str:what>/", pathway.pathway_add, name="pathway_add"),
    path(
        "patients/<int:pid>/pathway/<int:eid>/edit/", pathway.pathway_edit, name="pathway_edit"
    ),
    path("patients/<int:pid>/pathway/accept/", pathway.pathway_accept, name="pathway_accept"),
    path(
        "patients/<int:pid>/pathway/override/", pathway.pathway_override, name="pathway_override"
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
    # issue 24: weaning off the diet and an infant's feeding modes
    path("patients/<int:pid>/keto/weaning/", keto_weaning.weaning, name="keto_weaning"),
    path(
        "patients/<int:pid>/keto/weaning/save/",
        keto_weaning.weaning_save,
        name="keto_weaning_save",
    ),
    path("patients/<int:pid>/keto/feeding/", keto_feeding.feeding, name="keto_feeding"),
    path(
        "patients/<int:pid>/keto/feeding/save/",
        keto_feeding.feeding_save,
        name="keto_feeding_save",
    ),
    # family
    path("family/", family.home, name="family_home"),
    path("family/<int:pid>/", family.diary, name="family_diary"),
    path("family/<int:pid>/log/", family.log, name="family_log"),
    path("family/<int:pid>/video/", family.video_upload, name="family_video"),
    # issue 24: a side effect of the diet told by the family
    path(
        "family/<int:pid>/side-effect/",
        family_side_effects.side_effect,
        name="family_side_effect",
    ),
    path("patients/<int:pid>/videos/<uuid:key>/", family.video, name="video"),
    path("patients/<int:pid>/print/<str:page>/", family_print.printable, name="family_print"),
    # the family diary offline (issue 26): installable, its shell offline, the phone's outbox
    path("family/manifest.webmanifest", family_offline.manifest, name="family_manifest"),
    path("family/sw.js", family_offline.service_worker, name="family_sw"),
    path("family/offline/", family_offline.offline_shell, name="family_offline"),
    path("family/<int:pid>/outbox/", family_offline.outbox, name="family_outbox"),
    # the outbox's words in the family's language (issue 26)
    path(
        "family/words.js",
        family_offline.words,
        name="family_js_words",
    ),
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
    # --- development and other seizures (issue 25) ---
    path(
        "patients/<int:pid>/development/confirm/<int:eid>/",
        development.milestone_confirm,
        name="milestone_confirm",
    ),
    path(
        "patients/<int:pid>/development/<str:part>/",
        development.development_add,
        name="development_add",
    ),
    path(
        "cohort-development.csv",
        cohort_development.cohort_development_csv,
        name="cohort_development_csv",
    ),
    # --- end development ---
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
