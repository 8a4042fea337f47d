"""Who must give a second factor, and whether this session has: read from the session, so the rule
costs no query per request."""

from __future__ import annotations

from django_otp import DEVICE_ID_SESSION_KEY

# Set in the session at sign-in (and at enrolment) for a registrant who has opted in to two-factor.
ENROLLED_KEY = "_two_factor_enrolled"


def is_staff_user(user) -> bool:
    """Every staff role, the administrator, and anyone the Django admin would treat as staff."""
    from regulator.roles import STAFF_ROLES, role_names

    if not user or not user.is_authenticated:
        return False
    return bool(user.is_staff or user.is_superuser or role_names(user) & {str(r) for r in STAFF_ROLES})


def requires_two_factor(user, request=None) -> bool:
    if is_staff_user(user):
        return True
    return bool(request is not None and request.session.get(ENROLLED_KEY))


def two_factor_verified(request) -> bool:
    return bool(request.session.get(DEVICE_ID_SESSION_KEY))
