"""Production: no default for any secret or connection, so a missing one fails at start."""

from .base import *  # noqa: F403
from .base import STORAGES, env

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
if env("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")
    DATABASES["replica"]["CONN_MAX_AGE"] = DATABASES["default"]["CONN_MAX_AGE"]
DATABASE_REPLICA_ENABLED = "replica" in DATABASES
# A connection the database dropped (a restart) is noticed before reuse, so the app recovers by itself.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
CELERY_BROKER_URL = env("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = False
CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env("REDIS_CACHE_URL")}}
EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
NOTIFICATIONS_BACKEND = env("NOTIFICATIONS_BACKEND", default="notify")
if NOTIFICATIONS_BACKEND == "notify":
    NOTIFY_API_KEY = env("NOTIFY_API_KEY")  # no default: a missing key fails at start

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# Health endpoints answer over plain HTTP inside the network (docker-compose, the load balancer's probes).
SECURE_REDIRECT_EXEMPT = [r"^healthz/$", r"^readyz/$"]

# Static files fingerprinted (name.<hash>.css) so browsers may cache them for a year; collectstatic in the
# image writes the manifest. GOV.UK Frontend's /assets/ (WHITENOISE_ROOT) keep their names.
STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}

# Never the demo's published sign-ins here (seed_demo refuses; --force only with DJANGO_ALLOW_DEMO_IN_PRODUCTION).
REGULATOR_DEMO_ALLOWED = False
