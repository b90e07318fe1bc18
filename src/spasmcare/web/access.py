"""Who may open what: the one place where access is decided.

Every URL name of the app has exactly one rule here: the roles that may use it and whether it
is about one patient (a ``pid`` in the URL). :class:`AccessMiddleware` applies the rules before
any view runs; a URL without a rule is refused (fail closed). Patient-scoped URLs also need
the patient to be visible to the user (:func:`visible_patients`):

- neurologists, dietitians and nurses see the patients of their care teams;
- a family member sees only the children they joined by invitation;
- an administrator sees every patient (to manage teams, import and export records);
- a researcher sees no patient, only the de-identified cohort pages.

``tests/web/test_access.py`` enumerates every URL × role and checks the answer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import Resolver404, resolve

from spasmcare.web.models import ROLES, Patient, Role, User

NEURO, DIET, NURSE = Role.NEUROLOGIST, Role.DIETITIAN, Role.NURSE
FAMILY, RESEARCH, ADMIN = Role.FAMILY, Role.RESEARCHER, Role.ADMIN
CLINICIANS = frozenset({NEURO, DIET, NURSE})
STAFF = CLINICIANS | {ADMIN}
EVERYONE = frozenset(ROLES)
PUBLIC: frozenset[str] = frozenset()  # rule roles for pages open without signing in


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
    "logout": _r(EVERYONE),
    "home": _r(EVERYONE),
    # clinic
    "patient_list": _r(STAFF),
    "patient_new": _r(STAFF),
    "record_import": _r(STAFF),
    "food_search": _r(CLINICIANS),
    "patient_dashboard": _r(STAFF, patient=True),
    "patient_chart": _r(STAFF, patient=True),
    "patient_edit": _r(CLINICIANS, patient=True),
    "patient_history": _r(STAFF, patient=True),
    "patient_report": _r(STAFF, patient=True),
    "record_export": _r(STAFF, patient=True),
    "entry_add": _r(CLINICIANS, patient=True),
    "entry_edit": _r(CLINICIANS, patient=True),
    "entry_retract": _r(CLINICIANS, patient=True),
    "entry_history": _r(STAFF, patient=True),
    "invitation_new": _r(CLINICIANS, patient=True),
    # drug course: everyone in the team plans and ticks checks; a neurologist prescribes
    "course_planner": _r(CLINICIANS, patient=True),
    "course_save": _r(NEURO, patient=True),
    "monitoring_tick": _r(CLINICIANS, patient=True),
    # protocol details the sources leave open: the team looks, a neurologist confirms
    "protocol_details": _r(STAFF),
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
    # outcomes (de-identified)
    "cohort": _r(RESEARCH, NEURO, DIET, ADMIN),
    "cohort_csv": _r(RESEARCH, NEURO, DIET, ADMIN),
}
ADMIN_SITE = _r(ADMIN)


def rule_for(url_name: str | None, namespace: str = "") -> Rule | None:
    if namespace == "admin":
        return ADMIN_SITE
    return RULES.get(url_name or "")


def visible_patients(user: User) -> QuerySet[Patient]:
    """The patients ``user`` may see (retracted patients excluded)."""
    live = Patient.objects.filter(retracted_at__isnull=True)
    if user.role == ADMIN:
        return live
    if user.role in CLINICIANS:
        return live.filter(team__in=user.teams.all()).distinct()
    if user.role == FAMILY:
        return live.filter(family=user)
    return live.none()


def home_url_name(user: User) -> str:
    """Where a user lands after signing in."""
    if user.role == FAMILY:
        return "family_home"
    if user.role == RESEARCH:
        return "cohort"
    return "patient_list"


class AccessMiddleware:
    """Apply :data:`RULES` to every request before its view runs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Any, args: Any, kwargs: dict[str, Any]
    ) -> HttpResponse | None:
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
            # 404 whether the patient does not exist or is not the user's: no existence leak
            request.patient = get_object_or_404(visible_patients(user), pk=pid)
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
    }


def current_user(request: HttpRequest) -> User:
    """The signed-in user of a request the middleware has let through."""
    assert isinstance(request.user, User)
    return request.user


def current_patient(request: HttpRequest) -> Patient:
    """The patient of a patient-scoped URL, as the middleware checked and attached it."""
    patient: Patient = request.patient
    return patient
