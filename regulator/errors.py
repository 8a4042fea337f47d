"""Domain errors raised by services; the API and the pages turn them into clear answers."""


class DomainError(Exception):
    """A rule of the regulator refused the change. Carries a message a person can act on."""

    status_code = 400

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class RuleViolation(DomainError):
    """The input breaks a rule (400)."""

    status_code = 400


class InvalidTransition(DomainError):
    """The record is not in a state from which this change is allowed (409)."""

    status_code = 409


class StaleState(DomainError):
    """The record changed under the caller since they read it (409)."""

    status_code = 409
