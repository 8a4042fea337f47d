"""Sign-in events into the security log and (for successes and role changes) the audit trail."""

from __future__ import annotations

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed
from django.dispatch import receiver

from regulator.audit import audit_record

from .log import security_event
from .middleware import session_started
from .policy import ENROLLED_KEY, is_staff_user


@receiver(user_logged_in, dispatch_uid="security.signed_in")
def signed_in(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    session_started(request, user)
    from .two_factor import has_two_factor

    if not is_staff_user(user) and has_two_factor(user):
        request.session[ENROLLED_KEY] = True
    security_event(request, "signin.succeeded", user=user, factor="password")
    audit_record(actor=user, action="user.signed_in_password", obj=user)


@receiver(user_login_failed, dispatch_uid="security.sign_in_failed")
def sign_in_failed(sender, credentials, request=None, **kwargs):
    # The username is not logged (it may be an email address): django-axes keeps it for the lockout.
    security_event(request, "signin.failed", user=False, status=200)


@receiver(user_locked_out, dispatch_uid="security.locked_out")
def locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    security_event(request, "signin.lockout_started", user=False)


@receiver(user_logged_out, dispatch_uid="security.signed_out")
def signed_out(sender, request, user, **kwargs):
    if request is not None:
        security_event(request, "signout", user=user)


def _role_change(sender, instance, action, pk_set, reverse, **kwargs):
    """A group (role) given to or taken from a user, however it was done (the admin, grant_roles, a shell)."""
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    from django.contrib.auth.models import Group

    if reverse:  # group.user_set.add(...): instance is the group
        users = list(pk_set or [])
        roles = [instance.name]
        for user_id in users:
            _record_role_change(user_id, action, roles)
        return
    roles = sorted(Group.objects.filter(pk__in=pk_set or []).values_list("name", flat=True))
    _record_role_change(instance.pk, action, roles)


def _record_role_change(user_id, action, roles):

    verb = {"post_add": "granted", "post_remove": "withdrawn", "post_clear": "cleared"}[action]
    audit_record(actor=None, action=f"user.roles_{verb}", object_type="regulator.user", object_id=user_id,
                 after={"roles": roles})
    security_event(None, f"roles.{verb}", user=False, subject=user_id, roles=",".join(roles))


def connect_role_changes():
    from regulator.models import User

    m2m_changed.connect(_role_change, sender=User.groups.through, dispatch_uid="security.role_change")
