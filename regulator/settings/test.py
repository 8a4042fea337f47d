"""The test suite: real PostgreSQL and Redis (see README), fast hashing, no outgoing email."""

import os

from .base import *  # noqa: F403
from .base import DATABASES, env

DATABASES["default"] = env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/regulator")
DATABASES["default"]["CONN_MAX_AGE"] = 0
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tests run tasks in process unless a test starts a real worker against the Redis broker.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="redis://127.0.0.1:6379/15")
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
# Each pytest-xdist process has its own test database; it gets its own broker keys too, or one
# process's real worker would take the other's tasks and look for their rows in the wrong database.
CELERY_BROKER_TRANSPORT_OPTIONS = {"global_keyprefix": f"{os.environ.get('PYTEST_XDIST_WORKER', 'main')}:"}
# Static files come straight from the apps (no collectstatic for tests).
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default="/tmp/regulator-test-uploads")  # noqa: S108
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
