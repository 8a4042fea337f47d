"""The test suite: real PostgreSQL and Redis (see README), fast hashing, no outgoing email."""

import os

from .base import *  # noqa: F403
from .base import CELERY_BROKER_TRANSPORT_OPTIONS, DATABASES, env

DATABASES["default"] = env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/regulator")
DATABASES["default"]["CONN_MAX_AGE"] = 0
# A "replica" alias on the same test database (a mirror, never created), off unless a test turns the
# router on (regulator/tests/test_replica.py): the router's choices are tested on real connections.
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
DATABASE_REPLICA_ENABLED = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tests run tasks in process unless a test starts a real worker against the Redis broker.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="redis://127.0.0.1:6379/15")
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
# Each pytest-xdist process has its own test database; it gets its own broker keys too, or one
# process's real worker would take the other's tasks and look for their rows in the wrong database.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    **CELERY_BROKER_TRANSPORT_OPTIONS,
    "global_keyprefix": f"{os.environ.get('PYTEST_XDIST_WORKER', 'main')}:",
    # A worker killed mid-task leaves its message unacknowledged; Redis gives it to another worker
    # after this long (an hour by default; the worker-killed tests shorten it for their workers).
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
    "unacked_restore_interval": env.int("CELERY_UNACKED_RESTORE_INTERVAL", default=10),
}
# Messages go through Django's email backend (locmem above), so tests read them in mail.outbox.
NOTIFICATIONS_BACKEND = "email"
# Static files come straight from the apps (no collectstatic for tests).
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default="/tmp/regulator-test-uploads")  # noqa: S108  # nosec B108
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Tests run seed_demo.
REGULATOR_DEMO_ALLOWED = True
