"""Who may open what: the one place where access is decided.

Every URL name of the app has exactly one rule here: the roles that may use it and whether it
is about one patient (a ``pid`` in the URL). :class:`AccessMiddleware` applies the rules before
any view runs; a URL without a rule is refused (fail closed). Patient-scoped URLs also need
the patient to be visible to the user (:func:`visible_patients`):

- neurologists, dietitians and nurses see the patients of their care teams;
- a family member sees only the children they joined by invitation;
- an administrator manages accounts, care teams and invitations and sees no patient and no
  clinical page (least privilege: the administrator is not a member of any care team);
- a researcher sees no patient, only the de-identified cohort pages;
- a clinician may bulk-export the patients of their care teams, de-identified; only a
  clinician the administrator named the *data steward* (``User.data_steward``) may export
  them identified (:func:`may_export_identified`). Each person sees only their own exports
  (:func:`spasmcare.web.interop.bulk_export.visible_exports`); every export and download is logged
  (``ExportLog``).

What a role may *write* is decided per kind of entry in :data:`WRITES` (create, correct,
retract), checked by :func:`may_write` in the views that write: correcting or retracting what
another person wrote needs the role of that kind's discipline (a nurse does not retract a
neurologist's drug course, a dietitian does not change an EEG reading).

``tests/web/test_access.py`` enumerates every URL × role and every kind × action × role and
checks the answer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve

from spasmcare.web.base.compiled import Compiled
from spasmcare.web.clinic.models import ROLES, Entry, Kind, Patient, Role, User

NEURO, DIET, NURSE = Role.NEUROLOGIST, Role.DIETITIAN, Role.NURSE
FAMILY, RESEARCH, ADMIN = Role.FAMILY, Role.RESEARCHER, Role.ADMIN
CLINICIANS = frozenset({NEURO, DIET, NURSE})
STAFF = CLINICIANS | {ADMIN}
EVERYONE = frozenset(ROLES)
PUBLIC: frozenset[str] = frozenset()
ROLE_NAMES = {
    NEURO: "neurologist",
    DIET: "dietitian",
    NURSE: "nurse",
    FAMILY: "family member",
    RESEARCH: "researcher",
    ADMIN: "administrator",
}  # rule roles for pages open without signing in


@dataclass(frozen=True)
class Rule:
    roles: frozenset[str]
    patient: bool = False  # the URL names a patient (kwarg ``pid``)
    public: bool = False  # no sign-in needed


def _r(*roles: Any, patient: bool = False) -> Rule:
    flat: set[str] = set()
    for r in roles:
        flat |= set(r) if isinstance(r, frozenset | set) else {r}
    return Rule(frozenset(flat), patient=patient)


#: URL name -> rule. Django's admin site (namespace ``admin``) is for the admin role only.
RULES: dict[str, Rule] = {
    # signing in and out
    "login": Rule(PUBLIC, public=True),
    "invitation_accept": Rule(PUBLIC, public=True),
    "password_reset": Rule(PUBLIC, public=True),
    "logout": _r(EVERYONE),
    "home": _r(EVERYONE),
    "password_change": _r(EVERYONE),
    # clinic: demographics are entered and corrected by the neurologist or the nurse
    "patient_list": _r(CLINICIANS),
    "patient_new": _r(NEURO, NURSE),
    "record_import": _r(NEURO, NURSE),
    "food_search": _r(CLINICIANS),
    "patient_dashboard": _r(CLINICIANS, patient=True),
    "patient_chart": _r(CLINICIANS, patient=True),
    "patient_edit": _r(NEURO, NURSE, patient=True),
    "patient_history": _r(CLINICIANS, patient=True),
    "patient_report": _r(CLINICIANS, patient=True),
    "patient_report_json": _r(CLINICIANS, patient=True),
    "record_export": _r(CLINICIANS, patient=True),
    "entry_add": _r(CLINICIANS, patient=True),
    "entry_edit": _r(CLINICIANS, patient=True),
    "entry_retract": _r(CLINICIANS, patient=True),
    "entry_history": _r(CLINICIANS, patient=True),
    # care pathway (issue 23): dates and work-up tests by the neurologist or the nurse; a
    # first-line proposal accepted or overridden by the neurologist (WRITES says the rest)
    "pathway_dates": _r(NEURO, NURSE, patient=True),
    "pathway_add": _r(NEURO, NURSE, patient=True),
    "pathway_edit": _r(NEURO, NURSE, patient=True),
    "pathway_accept": _r(NEURO, patient=True),
    "pathway_override": _r(NEURO, patient=True),
    # family invitations: made, listed and revoked by the neurologist or the nurse
    "invitation_new": _r(NEURO, NURSE, patient=True),
    "invitation_list": _r(NEURO, NURSE, patient=True),
    "invitation_revoke": _r(NEURO, NURSE, patient=True),
    # drug course: everyone in the team plans and ticks checks; a neurologist prescribes
    "course_planner": _r(CLINICIANS, patient=True),
    "course_save": _r(NEURO, patient=True),
    "monitoring_tick": _r(CLINICIANS, patient=True),
    # protocol details the sources leave open: the team looks, a neurologist confirms
    "protocol_details": _r(CLINICIANS),
    "protocol_confirm": _r(NEURO),
    # the clinic's phone numbers and alert limits: the team reads them, an administrator sets
    "clinic_settings": _r(STAFF),
    "clinic_settings_save": _r(ADMIN),
    # keto: the dietitian prescribes; the team can look and try
    "keto_planner": _r(CLINICIANS, patient=True),
    "keto_solve": _r(CLINICIANS, patient=True),
    "keto_save": _r(DIET, patient=True),
    # family
    "family_home": _r(FAMILY),
    "family_diary": _r(FAMILY, CLINICIANS, patient=True),
    "family_log": _r(FAMILY, CLINICIANS, patient=True),
    "family_video": _r(FAMILY, CLINICIANS, patient=True),
    "video": _r(FAMILY, CLINICIANS, patient=True),
    "family_print": _r(FAMILY, CLINICIANS, patient=True),
    # the family diary offline (issue 26): the manifest, the service worker and the diary's
    # shell hold no one's data (public: a phone fetches them without its session); only the
    # family member sends taps from the phone's outbox
    "family_manifest": Rule(PUBLIC, public=True),
    "family_sw": Rule(PUBLIC, public=True),
    "family_offline": Rule(PUBLIC, public=True),
    "family_outbox": _r(FAMILY, patient=True),
    "family_js_words": _r(FAMILY),  # the outbox's words in the family's language
    # issue 24: a side effect of the diet, told by the family in plain words
    "family_side_effect": _r(FAMILY, CLINICIANS, patient=True),
    # issue 24: the weaning plan and the infant feeding modes: the team looks and tries, the
    # dietitian saves (the family prints them through family_print)
    "keto_weaning": _r(CLINICIANS, patient=True),
    "keto_weaning_save": _r(DIET, patient=True),
    "keto_feeding": _r(CLINICIANS, patient=True),
    "keto_feeding_save": _r(DIET, patient=True),
    # outcomes (de-identified)
    "cohort": _r(RESEARCH, NEURO, DIET),
    "cohort_csv": _r(RESEARCH, NEURO, DIET),
    # FHIR: a patient's Bundle and EHR import for the team; bulk files of the team's patients
    # for its clinicians (de-identified; identified for the data steward only)
    "patient_fhir": _r(CLINICIANS, patient=True),
    "fhir_import": _r(CLINICIANS, patient=True),
    "cohort_redcap": _r(RESEARCH, NEURO, DIET),
    "bulk_export": _r(CLINICIANS),
    "bulk_export_status": _r(CLINICIANS),
    "bulk_export_file": _r(CLINICIANS),
    # --- development (issue 25): entry forms and confirming a family's milestone tick; which
    # role writes which kind is decided per kind in WRITES ---
    "development_add": _r(CLINICIANS, patient=True),
    "milestone_confirm": _r(CLINICIANS, patient=True),
    "cohort_development_csv": _r(RESEARCH, NEURO, DIET),  # as the cohort's own CSV
    # --- end development ---
    # families' language, translation reviews and PDFs (issue 26): a family member sets their
    # own language; any clinician confirms a translation, as the team reviews family sheets;
    # a PDF has the rule of the page it is made from
    "account_language": _r(FAMILY),
    "translation_confirm": _r(CLINICIANS),
    "family_print_pdf": _r(FAMILY, CLINICIANS, patient=True),
    "patient_report_pdf": _r(CLINICIANS, patient=True),
}
ADMIN_SITE = _r(ADMIN)


def rule_for(url_name: str | None, namespace: str = "") -> Rule | None:
    if namespace == "admin":
        return ADMIN_SITE
    return RULES.get(url_name or "")


def visible_patients(user: User) -> QuerySet[Patient]:
    """The patients ``user`` may see (retracted patients excluded)."""
    live = Patient.objects.filter(retracted_at__isnull=True)
    if user.role in CLINICIANS:
        return live.filter(team__in=user.teams.all()).distinct()
    if user.role == FAMILY:
        return live.filter(family=user)
    return live.none()


#: The read of one patient :func:`visible_patients` lets a user see, for a clinician and for a
#: family member: made by nearly every request, so compiled once (issue 21). The markers stand
#: for the user's id and the patient's.
_VISIBLE: dict[str, Compiled[Patient]] = {
    kind: Compiled(
        lambda uid, pid, role=role: visible_patients(User(pk=uid, role=role)).filter(pk=pid),
        (-7_000_001, -7_000_002),
    )
    for kind, role in (("clinician", NURSE), ("family", FAMILY))
}


def visible_patient(user: User, pid: int) -> Patient:
    """The patient ``pid`` if ``user`` may see it (:func:`visible_patients`); 404 whether it
    does not exist or is not theirs, so a URL tells nobody which patients exist."""
    kind = "clinician" if user.role in CLINICIANS else "family" if user.role == FAMILY else None
    found = _VISIBLE[kind].first(user.pk, int(pid)) if kind else None
    if found is None:
        raise Http404("No such patient.")
    return found


def may_export_identified(user: User) -> bool:
    """Whether ``user`` may start or download an identified bulk export: an active clinician
    the administrator named data steward. Never an administrator, researcher or family."""
    return bool(user.is_active and user.role in CLINICIANS and user.data_steward)


def home_url_name(user: User) -> str:
    """Where a user lands after signing in."""
    if user.role == FAMILY:
        return "family_home"
    if user.role == RESEARCH:
        return "cohort"
    if user.role == ADMIN:
        return "admin:index"
    return "patient_list"


# --- writes: who may create, correct and retract each kind of entry ------------------------

CREATE, CORRECT, RETRACT = "create", "correct", "retract"
ACTIONS = (CREATE, CORRECT, RETRACT)
DEMOGRAPHICS, INVITATION = "demographics", "invitation"


@dataclass(frozen=True)
class Write:
    """Who writes one kind of entry.

    ``writers`` create it, and correct or retract what they wrote themselves; ``discipline``
    (the clinical discipline the entry belongs to) may also correct or retract what someone
    else wrote, including imported entries.
    """

    writers: frozenset[str]
    discipline: frozenset[str]
    label: str


def _w(writers: Any, discipline: Any, label: str) -> Write:
    def flat(x: Any) -> frozenset[str]:
        return frozenset(x) if isinstance(x, frozenset | set | tuple) else frozenset({x})

    return Write(flat(writers), flat(discipline), label)


#: kind -> who writes it. A drug course is the neurologist's prescription, a keto plan and a
#: diet period the dietitian's, an EEG reading the neurologist's; observations (growth, labs,
#: blood pressure, adverse events, monitoring checks) are recorded by any clinician of the team;
#: diary entries also by the family (their own, through the diary page), and so are the doses
#: ticked as given.
WRITES: dict[str, Write] = {
    Kind.TREATMENT: _w(NEURO, NEURO, "a drug course"),
    Kind.KETO_PLAN: _w(DIET, DIET, "a keto plan"),
    Kind.DIET: _w((DIET, NEURO), DIET, "a diet period"),
    Kind.EEG: _w(NEURO, NEURO, "an EEG reading"),
    Kind.GROWTH: _w(CLINICIANS, CLINICIANS, "a growth measurement"),
    Kind.LAB: _w(CLINICIANS, CLINICIANS, "a lab result"),
    Kind.VITALS: _w(CLINICIANS, CLINICIANS, "a blood pressure"),
    Kind.ADVERSE: _w(CLINICIANS, (NEURO, NURSE), "an adverse event"),
    Kind.MONITORING: _w(CLINICIANS, (NEURO, NURSE), "a monitoring check"),
    Kind.DIARY: _w(CLINICIANS | {FAMILY}, CLINICIANS, "a diary entry"),
    Kind.RECORDED_DAY: _w(CLINICIANS | {FAMILY}, CLINICIANS, "a diary day"),
    # a medicine dose ticked as given: the family at home, the neurologist or the nurse on the
    # ward; not the dietitian (a drug is not theirs); the team's medicine discipline corrects
    Kind.DOSE_GIVEN: _w((FAMILY, NEURO, NURSE), (NEURO, NURSE), "a dose ticked as given"),
    # --- development and other seizures (issue 25) ---
    # the development at diagnosis and instrument scores: the neurologist or the nurse; a
    # milestone: the family ticks it on the phone, any clinician records one, and the
    # neurologist or the nurse confirms (corrects) one someone else recorded; another kind of
    # seizure: logged like a diary entry (family and clinicians), corrected by clinicians
    Kind.DEVELOPMENT_BASELINE: _w((NEURO, NURSE), (NEURO, NURSE), "the development at diagnosis"),
    Kind.MILESTONE: _w(CLINICIANS | {FAMILY}, (NEURO, NURSE), "a milestone"),
    Kind.ASSESSMENT: _w((NEURO, NURSE), (NEURO, NURSE), "a developmental assessment"),
    Kind.OTHER_SEIZURE: _w(CLINICIANS | {FAMILY}, CLINICIANS, "a seizure of another kind"),
    # --- end development ---
    # care pathway (issue 23): dates, referral and work-up tests are recorded by the
    # neurologist or the nurse, who correct each other's; that a course failed is recorded by
    # either, corrected by a neurologist; a first-line proposal is the neurologist's to accept
    # or override (issue 23: "advice the neurologist accepts or overrides with a reason")
    Kind.PATHWAY: _w((NEURO, NURSE), (NEURO, NURSE), "the care pathway dates"),
    Kind.PATHWAY_GENETIC: _w((NEURO, NURSE), (NEURO, NURSE), "a genetic test"),
    Kind.PATHWAY_METABOLIC: _w((NEURO, NURSE), (NEURO, NURSE), "a metabolic test"),
    Kind.PATHWAY_FAILURE: _w((NEURO, NURSE), NEURO, "a treatment judged failed"),
    Kind.PATHWAY_OVERRIDE: _w(NEURO, NEURO, "an override of a first-line proposal"),
    Kind.PATHWAY_ACCEPT: _w(NEURO, NEURO, "an accepted first-line proposal"),
    DEMOGRAPHICS: _w((NEURO, NURSE), (NEURO, NURSE), "a patient's details"),
    INVITATION: _w((NEURO, NURSE), (NEURO, NURSE), "a family invitation"),
    # issue 24: a side effect of the diet, entered by any clinician and by the family in plain
    # words (their own, from the diary); any clinician of the team corrects it (the dietitian
    # owns the diet, the neurologist and the nurse adverse events)
    Kind.SIDE_EFFECT: _w(CLINICIANS | {FAMILY}, CLINICIANS, "a diet side effect"),
    # issue 24: plans of the keto planner, the dietitian's like the keto plan
    Kind.KETO_WEANING: _w(DIET, DIET, "a weaning plan"),
    Kind.KETO_FEEDING: _w(DIET, DIET, "an infant feeding plan"),
}


def may_write(user: User, action: str, kind: str, author_id: int | None = None) -> bool:
    """May ``user`` ``action`` (create, correct, retract) an entry of ``kind`` that
    ``author_id`` wrote (``None``: imported, or a new entry)?"""
    rule = WRITES.get(kind)
    if rule is None or action not in ACTIONS or user.role not in rule.writers:
        return False
    if action == CREATE:
        return True
    return (author_id is not None and author_id == user.pk) or user.role in rule.discipline


def check_write(user: User, action: str, kind: str, entry: Entry | None = None) -> None:
    """Raise :class:`PermissionDenied` (a 403 page saying why) unless :func:`may_write`."""
    author = entry.created_by_id if entry is not None else None
    if may_write(user, action, kind, author):
        return
    rule = WRITES.get(kind)
    if rule is None:
        raise PermissionDenied("This kind of entry is not written here.")
    verb = {CREATE: "add", CORRECT: "correct", RETRACT: "retract"}.get(action, action)
    who = " or ".join(sorted(ROLE_NAMES[r] for r in rule.discipline))
    if user.role in rule.writers:
        raise PermissionDenied(
            f"Someone else wrote {rule.label}: only a {who} may {verb} it. Ask them or the team."
        )
    raise PermissionDenied(
        f"Your role ({user.get_role_display()}) does not {verb} {rule.label}; "
        f"that is for a {who}."
    )


class AccessMiddleware:
    """Apply :data:`RULES` to every request before its view runs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Any, args: Any, kwargs: dict[str, Any]
    ) -> HttpResponse | None:
        # the handler resolved the URL just before (its match is on the request): not again
        match = getattr(request, "resolver_match", None)
        if match is None:
            try:
                match = resolve(request.path_info)
            except Resolver404:
                return None
        if match.app_name == "" and request.path_info.startswith("/static/"):
            return None
        rule = rule_for(match.url_name, match.namespace)
        if rule is None:
            raise PermissionDenied("This page has no access rule.")
        if rule.public:
            return None
        user = request.user
        if not user.is_authenticated:
            return redirect(f"/login/?next={request.path}")
        assert isinstance(user, User)
        if user.role not in rule.roles:
            raise PermissionDenied(
                f"Your role ({user.get_role_display()}) does not give access to this page."
            )
        if rule.patient:
            pid = kwargs.get("pid")
            if pid is None:
                raise PermissionDenied("This page names no patient.")
            request.patient = visible_patient(user, pid)
        return None


def role_context(request: HttpRequest) -> dict[str, Any]:
    """Template context: the user's role, to show only the links they may follow."""
    user = getattr(request, "user", None)
    role = getattr(user, "role", None) if user is not None and user.is_authenticated else None
    return {
        "role": role,
        "is_clinician": role in CLINICIANS,
        "is_staff_role": role in STAFF,
        "can": {name: role in rule.roles for name, rule in RULES.items()} if role else {},
        "can_write": (
            {kind: role in rule.writers for kind, rule in WRITES.items()} if role else {}
        ),
    }


def current_user(request: HttpRequest) -> User:
    """The signed-in user of a request the middleware has let through."""
    assert isinstance(request.user, User)
    return request.user


def current_patient(request: HttpRequest) -> Patient:
    """The patient of a patient-scoped URL, as the middleware checked and attached it."""
    patient: Patient = request.patient
    return patient
