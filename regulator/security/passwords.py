"""Password rules beyond Django's: a list of common and breached passwords shipped in the project,
and an upper bound on length so hashing cannot be used to tie up a worker."""

from __future__ import annotations

import functools
import gzip
from pathlib import Path

from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError

# One password a line, lower case: the 30,000 most frequent passwords of the leaked-credential corpora
# that zxcvbn 4.5.0 ships (frequency_lists.py, "passwords"; MIT licence, Dropbox and Daniel Wolf),
# taken once into the project so no check calls out to a service. Django's own list is checked too.
BREACHED_PASSWORDS = Path(__file__).resolve().parent / "breached-passwords.txt.gz"
MAX_PASSWORD_LENGTH = 256


@functools.cache
def _breached() -> frozenset[str]:
    with gzip.open(BREACHED_PASSWORDS, "rt", encoding="utf-8") as lines:
        return frozenset(line.strip() for line in lines if line.strip())


class CommonAndBreachedPasswordValidator(CommonPasswordValidator):
    """Django's 20,000 common passwords, and the project's breached list, compared in lower case."""

    def validate(self, password, user=None):
        super().validate(password, user)
        if password.lower().strip() in _breached():
            raise ValidationError(
                "This password has appeared in a data breach. Choose a different one.",
                code="password_breached",
            )

    def get_help_text(self):
        return "Your password cannot be a commonly used password or one known from a data breach."


class MaximumLengthValidator:
    def validate(self, password, user=None):
        if len(password) > MAX_PASSWORD_LENGTH:
            raise ValidationError(
                f"Your password must be {MAX_PASSWORD_LENGTH} characters or fewer.", code="password_too_long"
            )

    def get_help_text(self):
        return f"Your password must be {MAX_PASSWORD_LENGTH} characters or fewer."
