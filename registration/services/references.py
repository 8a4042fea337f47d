"""References people quote (RA0000123): issued from the row's id, so two can never clash."""

import uuid

from django.db import models


def provisional_reference() -> str:
    """A unique placeholder until the row has its id (the column is unique and required)."""
    return uuid.uuid4().hex[:20]


def issue_reference(instance: models.Model, prefix: str) -> str:
    """Give a just-saved row its reference: the prefix and its id, zero-padded to seven digits."""
    reference = f"{prefix}{instance.pk:07d}"
    type(instance)._default_manager.filter(pk=instance.pk).update(reference=reference)
    instance.reference = reference  # type: ignore[attr-defined]
    return reference
