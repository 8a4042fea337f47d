"""What every app shares: the user, and the append-only audit trail."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """A person who signs in: staff, registrant or provider. Roles are groups (see roles.py)."""

    # Unique when given; staff accounts may have none (NULLs do not clash under a unique index).
    email = models.EmailField("email address", unique=True, null=True, blank=True)  # type: ignore[assignment]

    class Meta:
        db_table = "regulator_user"


class AttributedEvent(models.Model):
    """A dated, attributed step of a record: when, by whom (none for system jobs), and why.

    Each app's event table adds the record it belongs to and its kind; clocks and KPIs read them."""

    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(blank=True)

    class Meta:
        abstract = True


class AppendOnlyError(Exception):
    """Raised by any attempt to change or remove an audit record."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("The audit trail is append-only: records cannot be updated.")

    def delete(self):
        raise AppendOnlyError("The audit trail is append-only: records cannot be deleted.")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError("The audit trail is append-only: records cannot be updated.")


class AuditEvent(models.Model):
    """Who did what to which record, when, with the before and after and the reason.

    Written only by regulator.audit.audit_record; no code path updates or deletes a row, and the
    database refuses it too (a trigger, see migration 0002).
    """

    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The actor as a string at the time, for system actors (imports, scheduled jobs) and readability.
    actor_label = models.CharField(max_length=200)
    action = models.CharField(max_length=100)
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    reason = models.TextField(blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["object_type", "object_id", "at"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError("The audit trail is append-only: records cannot be updated.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("The audit trail is append-only: records cannot be deleted.")
