"""A developer's machine: debug on, embedded defaults unless the environment says otherwise."""

from .base import *  # noqa: F403
from .base import LOGGING, env

DEBUG = env.bool("DJANGO_DEBUG", default=True)

# Static files come straight from the apps (no collectstatic on a developer's machine).
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True

# Readable logs in a developer's terminal (production and the compose stack log JSON).
LOGGING["formatters"]["default"] = LOGGING["formatters"][env("DJANGO_LOG_FORMAT", default="text")]  # type: ignore[index]
LOGGING["handlers"]["console"]["formatter"] = "default"  # type: ignore[index]
# Development: the development payment provider's controls (pay, or simulate a declined payment) are shown.
REGISTRATION_PAYMENT_SIMULATION = env.bool("REGISTRATION_PAYMENT_SIMULATION", default=True)
# The demo (seed_demo) with its published sign-ins is for a developer's machine only.
REGULATOR_DEMO_ALLOWED = True
