"""The roles a user can hold, kept as Django groups so administrators can grant them in the admin."""

from collections.abc import Iterable

from django.db import models


class Role(models.TextChoices):
    REGISTRANT = "registrant", "Registrant"
    REGISTRATION_OFFICER = "registration_officer", "Registration officer"
    FTP_CASE_HANDLER = "ftp_case_handler", "FTP case handler"
    CASE_EXAMINER = "case_examiner", "Case examiner"
    ADJUDICATIONS_OFFICER = "adjudications_officer", "Adjudications officer"
    EDUCATION_QA_OFFICER = "education_qa_officer", "Education QA officer"
    EDUCATION_PROVIDER = "education_provider", "Education provider"
    COMPLAINTS_OFFICER = "complaints_officer", "Complaints officer"
    EXECUTIVE = "executive", "Executive"
    ADMINISTRATOR = "administrator", "Administrator"
    TEAM_LEAD = "team_lead", "Team lead"  # with a function's role: sees that team's timers and digest


STAFF_ROLES = frozenset(
    {
        Role.REGISTRATION_OFFICER,
        Role.FTP_CASE_HANDLER,
        Role.CASE_EXAMINER,
        Role.ADJUDICATIONS_OFFICER,
        Role.EDUCATION_QA_OFFICER,
        Role.COMPLAINTS_OFFICER,
        Role.EXECUTIVE,
        Role.ADMINISTRATOR,
    }
)
FTP_ROLES = frozenset({Role.FTP_CASE_HANDLER, Role.CASE_EXAMINER, Role.ADJUDICATIONS_OFFICER})


def role_names(user) -> frozenset[str]:
    """The user's roles, read once per request and cached on the user object."""
    if not user or not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, "_role_names", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._role_names = cached
    return cached


def has_role(user, *roles: str | Role) -> bool:
    """True when the user holds any of the roles. Superusers hold every role."""
    if user and user.is_authenticated and user.is_active and user.is_superuser:
        return True
    return bool(role_names(user) & {str(r) for r in roles})


def grant_roles(user, roles: Iterable[str | Role]) -> None:
    from django.contrib.auth.models import Group

    for role in roles:
        group, _ = Group.objects.get_or_create(name=str(role))
        user.groups.add(group)
    user.__dict__.pop("_role_names", None)
