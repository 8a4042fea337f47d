"""A developer's machine: debug on, embedded defaults unless the environment says otherwise."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)

# Static files come straight from the apps (no collectstatic on a developer's machine).
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
