"""Settings shared by every environment, read from the environment with one `env` object.

Embedded defaults (SQLite, tasks run in process) apply only when DATABASE_URL / CELERY_BROKER_URL
are unset, so a newcomer's first run needs nothing installed; production.py removes the defaults.
"""

from pathlib import Path

import environ
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("DJANGO_SECRET_KEY", default="insecure-local-development-key-not-for-production")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])

INSTALLED_APPS = [
    "regulator.admin_config.RegulatorAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI served from our own static files, not a CDN (CSP, no SRI needed)
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "crispy_forms",
    "crispy_forms_gds",
    "health_check",
    "regulator",
    "registration",
    "fitness_to_practise",
    "education_qa",
    "complaints",
    "interchange",
]

MIDDLEWARE = [
    "regulator.logging.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "regulator.db_routers.ReplicaMiddleware",
    "regulator.security.middleware.DatabaseUnavailableMiddleware",
    "regulator.security.middleware.BrowserHardeningMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "regulator.security.middleware.SessionLifetimeMiddleware",
    "regulator.security.middleware.TwoFactorRequiredMiddleware",
    "regulator.security.middleware.PublicThrottleMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "regulator.urls"
WSGI_APPLICATION = "regulator.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "regulator.context_processors.navigation",
                "regulator.security.context_processors.session_timeout",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
# An optional read replica for the public register (regulator/db_routers.py, decision 0802).
if env("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")
    DATABASES["replica"]["CONN_MAX_AGE"] = DATABASES["default"]["CONN_MAX_AGE"]
DATABASE_REPLICA_ENABLED = "replica" in DATABASES
DATABASE_ROUTERS = ["regulator.db_routers.PublicRegisterReplicaRouter"]
# After a change, a browser reads the primary this long: longer than the replica's usual lag.
REPLICA_PIN_SECONDS = env.int("REPLICA_PIN_SECONDS", default=15)
# A connection the database dropped (a restart) is noticed before reuse, so the app recovers by itself.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "regulator.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"  # staff; registrants land on their account (regulator.views.SignInView)
# How people reach the regulator: the footer, the contact page, and every page that says "contact us".
REGULATOR_CONTACT = {
    "phone": env("REGULATOR_CONTACT_PHONE", default="0808 157 0192"),
    "email": env("REGULATOR_CONTACT_EMAIL", default="enquiries@socialworkregulator.example"),
    "hours": env("REGULATOR_CONTACT_HOURS", default="Monday to Friday, 9am to 5pm (except bank holidays)"),
}
LOGOUT_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    # Django's own list of 20,000 common passwords plus the breached ones shipped in the project (decision 0783).
    {"NAME": "regulator.security.passwords.CommonAndBreachedPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "regulator.security.passwords.MaximumLengthValidator"},
]

LANGUAGE_CODE = "en-gb"
# The regulator's dates are calendar dates in Europe/London (kpis.md, "Time").
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT: Path | None = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "regulator" / "static"]
# GOV.UK Frontend's compiled CSS points at /assets/...; scripts/build_assets.mjs puts them there.
WHITENOISE_ROOT = BASE_DIR / "public"
STORAGES: dict[str, dict] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Uploaded documents live outside the web root and are only ever served through a view that checks access.
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "var" / "uploads"))
FILE_UPLOAD_PERMISSIONS = 0o600  # readable by the app's user only
# Uploads and exports on the local file system by default; on any S3 API (AWS, MinIO) for several web
# nodes with DJANGO_STORAGE_BACKEND=s3 (django-storages; the bucket private, links signed, never public).
if env("DJANGO_STORAGE_BACKEND", default="local") == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("S3_BUCKET"),
            "endpoint_url": env("S3_ENDPOINT_URL", default=None),
            "access_key": env("S3_ACCESS_KEY_ID"),
            "secret_key": env("S3_SECRET_ACCESS_KEY"),
            "region_name": env("S3_REGION", default=None),
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
            "location": env("S3_PREFIX", default=""),
        },
    }

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="no-reply@regulator.example")
# Email to people goes through regulator.notifications: "development" (kept on /sent-messages/),
# "email" (Django's EMAIL_BACKEND, e.g. SMTP) or "notify" (GOV.UK Notify). Templates: regulator/notifications.py.
NOTIFICATIONS_BACKEND = env("NOTIFICATIONS_BACKEND", default="development")
NOTIFY_API_KEY = env("NOTIFY_API_KEY", default="")
NOTIFY_BASE_URL = env("NOTIFY_BASE_URL", default="")
# template name -> GOV.UK Notify template id, e.g. "renewal_reminder=1f0c...,ftp_letter=9a2b..."
NOTIFY_TEMPLATE_IDS: dict[str, str] = env.dict("NOTIFY_TEMPLATE_IDS", default={})
# Where emailed links point (the service-standard digests).
SITE_URL = env("DJANGO_SITE_URL", default="http://127.0.0.1:8000")

REST_FRAMEWORK = {
    # Sessions for the pages (and the browsable API), scoped tokens for other systems; no HTTP Basic (0781).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # The session first: an anonymous caller is answered 403, as before (the token's 401 needs a header).
        "regulator.security.tokens.TwoFactorSessionAuthentication",
        "regulator.security.tokens.ScopedTokenAuthentication",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "regulator.security.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    # A generous rate per address for people on the public register; scoped where a view names a scope.
    "DEFAULT_THROTTLE_CLASSES": ["regulator.security.throttles.PublicAddressThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "public": env("REGULATOR_PUBLIC_API_RATE", default="600/minute"),
    },
    # Access is denied by default: every view names who may use it.
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated", "regulator.permissions.DenyAll"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "regulator.pagination.StandardPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "regulator.api.exception_handler",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Social work regulator API",
    "DESCRIPTION": "The register, registration, fitness to practise, education QA, complaints and KPIs.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from our own static files (drf-spectacular-sidecar), never a CDN: the docs work offline.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "regulator.api.document_error_responses",
    ],
}
# Choice sets that share a field name across records get their own schema names; each app lists its own.
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] = {
    # --- education_qa ---
    "CourseStatusEnum": "education_qa.schema.CourseStatus",
    "StudyModeEnum": "education_qa.schema.StudyMode",
    "QualificationLevelEnum": "education_qa.schema.QualificationLevel",
    "InspectionModeEnum": "education_qa.schema.InspectionMode",
    "InspectionTeamRoleEnum": "education_qa.schema.InspectionTeamRole",
    "ApprovalRequestKindEnum": "education_qa.schema.ApprovalRequestKind",
    "ApprovalRequestStatusEnum": "education_qa.schema.ApprovalRequestStatus",
    "ApprovalOutcomeEnum": "education_qa.schema.ApprovalOutcome",
    "ConditionStatusEnum": "education_qa.schema.ConditionStatus",
    "CourseChangeStatusEnum": "education_qa.schema.CourseChangeStatus",
    "MonitoringReturnStatusEnum": "education_qa.schema.MonitoringReturnStatus",
    "MonitoringReviewOutcomeEnum": "education_qa.schema.MonitoringReviewOutcome",
    "OpenOrClosedEnum": "education_qa.schema.OpenOrClosed",
    "CourseConcernOutcomeEnum": "education_qa.schema.CourseConcernOutcome",
    "EducationEventKindEnum": "education_qa.schema.EducationEventKind",
    # --- complaints ---
    "ComplaintStatusEnum": "complaints.schema.ComplaintStatus",
    "ComplaintCategoryEnum": "complaints.schema.ComplaintCategory",
    "ComplaintEventKindEnum": "complaints.schema.ComplaintEventKind",
    "InformationRequestKindEnum": "complaints.schema.InformationRequestKind",
    "InformationRequestOutcomeEnum": "complaints.schema.InformationRequestOutcome",
    "InformationRequestEventKindEnum": "complaints.schema.InformationRequestEventKind",
    "SubjectAccessExportStatusEnum": "complaints.schema.SubjectAccessExportStatus",
}

# Celery: in process when no broker is configured, so the first run needs no Redis.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Every task has a time limit: this default, or its own in its decorator (the longest is
# CELERY_LONGEST_TASK_SECONDS). A task past its soft limit gets SoftTimeLimitExceeded, past the hard one is killed.
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_TIME_LIMIT = 300
CELERY_LONGEST_TASK_SECONDS = 60 * 60  # the renewal reminders and the end of the renewal window
# With acks_late a message is redelivered if not acknowledged within the visibility timeout: it must be above
# the longest task, or a long task would run twice at once. Short connection timeouts: a broker that is down
# must not hold a web request (the outbox answers success and the sweep dispatches later).
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {
    "visibility_timeout": 2 * CELERY_LONGEST_TASK_SECONDS,
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A task whose worker died (killed, out of memory) goes back on the queue; each task that allows it says
# why it is safe to run again (reject_on_worker_lost=True in its decorator).
CELERY_TASK_REJECT_ON_WORKER_LOST = False
# Beat keeps its schedule state in a file it may write (the image's /app/var belongs to the app's user).
CELERY_BEAT_SCHEDULE_FILENAME = env(
    "CELERY_BEAT_SCHEDULE_FILENAME", default=str(BASE_DIR / "var" / "celerybeat-schedule")
)
# The transactional outbox (regulator/outbox.py): the sweep leaves a new message this long to its own
# dispatch, and re-dispatches one dispatched but not done after this long (past the visibility timeout).
OUTBOX_GRACE_SECONDS = 30
OUTBOX_REDISPATCH_AFTER_SECONDS = 3 * CELERY_LONGEST_TASK_SECONDS
OUTBOX_SWEEP_BATCH = 500
# Every periodic task, in one place. Each app adds its entries in its own section below.
CELERY_BEAT_SCHEDULE: dict[str, dict] = {
    # --- regulator ---
    "regulator-outbox-sweep": {"task": "regulator.outbox_sweep", "schedule": 60},  # every minute; idempotent
    # --- registration ---
    "registration-renewal-reminders": {
        "task": "registration.tasks.send_renewal_reminders",
        "schedule": crontab(hour=9, minute=0),  # daily; the task sends only on reminder days
    },
    "registration-end-temporary-registrations": {
        "task": "registration.tasks.end_temporary_registrations",
        "schedule": crontab(hour=0, minute=5),  # daily, just after midnight: ends on the end date; idempotent
    },
    # --- fitness_to_practise ---
    "ftp-orders-sweep": {"task": "fitness_to_practise.orders_sweep", "schedule": 60 * 60},  # hourly; idempotent
    # --- education_qa ---
    "education-qa-chase-overdue-monitoring-returns": {
        "task": "education_qa.tasks.chase_overdue_monitoring_returns",
        "schedule": crontab(minute=0, hour=9, day_of_week="mon"),  # Monday mornings
    },
    # --- complaints ---
    # --- service standards: every open item's timer, then each officer's daily digest ---
    "timers-nightly": {
        "task": "regulator.timers_nightly",
        "schedule": crontab(hour=5, minute=30),  # before the working day; idempotent, advisory-locked
    },
}
# A timer is "due soon" when its due date is at most this many working days ahead.
TIMERS_DUE_SOON_WORKING_DAYS = 5

# --- registration: the public name search corrects misspellings with pg_trgm on PostgreSQL and with the
# same measure over the vocabulary in memory elsewhere (SQLite); None decides by database, True forces memory.
REGISTER_NAME_VOCABULARY_IN_MEMORY: bool | None = None

# --- registration: the renewal window, the CPD rule, fees and the payment provider ---
# The annual renewal window as (month, day), both days included; the register changes the day after.
REGISTRATION_RENEWAL_WINDOW_OPENS = (9, 1)
REGISTRATION_RENEWAL_WINDOW_CLOSES = (11, 30)
# Reminders go to those who have not renewed, this many days before the window closes.
REGISTRATION_RENEWAL_REMINDER_DAYS = (28, 14, 3)
# The CPD rule for renewal: records dated in the registration year, and how many with peer reflection.
REGISTRATION_CPD_MINIMUM_RECORDS = 2
REGISTRATION_CPD_MINIMUM_WITH_PEER_REFLECTION = 1
# Emergency powers: people removed for failure to renew are added to the temporary register.
REGISTRATION_EMERGENCY_POWERS = env.bool("REGISTRATION_EMERGENCY_POWERS", default=False)
REGISTRATION_TEMPORARY_REGISTER_MONTHS = 12
REGISTRATION_FEES_PENCE = {"application": 9000, "renewal": 9000}
# Whether payers see the development provider's "simulate a declined payment" (development settings only).
REGISTRATION_PAYMENT_SIMULATION = env.bool("REGISTRATION_PAYMENT_SIMULATION", default=False)
REGISTRATION_PAYMENT_PROVIDER = env(
    "REGISTRATION_PAYMENT_PROVIDER", default="registration.payments.DevelopmentPaymentProvider"
)
# Uploaded evidence: PDF or image, checked from the content, at most this size.
REGISTRATION_DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
REGISTRATION_ENUM_NAME_OVERRIDES: dict[str, str] = {
    "EntryStatusEnum": "registration.models.EntryStatus",
    "ApplicationStatusEnum": "registration.models.ApplicationStatus",
    "ApplicationKindEnum": "registration.models.ApplicationKind",
    "AppealStatusEnum": "registration.models.Appeal.Status",
    "MisuseOfTitleStatusEnum": "registration.models.MisuseOfTitleCase.Status",
    "RenewalWindowClosureStatusEnum": "registration.models.RenewalWindowClosure.Status",
    "AnnotationKindEnum": "registration.models.Annotation.Kind",
    "DocumentKindEnum": "registration.models.ApplicationDocument.Kind",
    "CPDKindEnum": "registration.models.CPDRecord.Kind",
    "ApplicationEventEnum": "registration.models.ApplicationEvent.Kind",
}
# drf-spectacular names the registration enums (several models have a "status" or a "kind").
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] = {
    **SPECTACULAR_SETTINGS.get("ENUM_NAME_OVERRIDES", {}),  # type: ignore[dict-item]
    **REGISTRATION_ENUM_NAME_OVERRIDES,
}
# --- end registration ---

# --- kpis ---
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] = {
    **SPECTACULAR_SETTINGS.get("ENUM_NAME_OVERRIDES", {}),  # type: ignore[dict-item]
    "RagEnum": "regulator.kpis.Rag",  # a month's, the year to date's and the direction's colour
}
# --- end kpis ---

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if env("REDIS_CACHE_URL", default=""):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env("REDIS_CACHE_URL")}}

# Logs: one JSON object a line (regulator/logging.py, the one formatter), with the request id; "text" for
# a developer's terminal. Celery's worker keeps this configuration instead of its own.
LOG_FORMAT = env("DJANGO_LOG_FORMAT", default="json")


def log_level(name: str, default: str) -> str | int:
    """A logger level from the environment, by name ("INFO") or by number ("30").

    Celery's own test worker exports CELERY_LOG_LEVEL as a number, and a process started
    from it inherits that; logging.config refuses the digit string "30" as a level name.
    """
    value = env(name, default=default).strip()
    return int(value) if value.isdigit() else value.upper()


LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "regulator.logging.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "regulator.logging.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "security_json": {"()": "regulator.security.log.JSONLineFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]},
        "security": {"class": "logging.StreamHandler", "formatter": "security_json"},
    },
    "root": {"handlers": ["console"], "level": log_level("DJANGO_LOG_LEVEL", "WARNING")},
    # The security log: JSON lines in UTC (regulator/security/log.py, decision 0787).
    "loggers": {
        "security": {"handlers": ["security"], "level": "INFO", "propagate": False},
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "celery": {"level": log_level("CELERY_LOG_LEVEL", "INFO")},
        "regulator": {"level": log_level("DJANGO_LOG_LEVEL", "INFO")},
    },
}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# Error tracking (Sentry's SDK for Django and Celery): off unless SENTRY_DSN is set. No personal data sent.
SENTRY_DSN = env("SENTRY_DSN", default="")
if SENTRY_DSN:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        environment=env("SENTRY_ENVIRONMENT", default="production"),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
        send_default_pii=False,
    )

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked account or address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "regulator.auth_backends.EmailOrUsernameBackend",
]

# --- security (issue 12, decisions 0780-0799) ---
# The client's real address: a request header the front proxy sets, named here, and nothing else.
# Behind the compose stack's proxy (or any proxy that sets it), DJANGO_CLIENT_IP_HEADER=HTTP_X_FORWARDED_FOR;
# with gunicorn answering directly, leave it empty and REMOTE_ADDR is used.
REGULATOR_CLIENT_IP_HEADER = env("DJANGO_CLIENT_IP_HEADER", default="")
# How many trusted proxies append to that header (the client's address is that many entries from the right).
REGULATOR_CLIENT_IP_PROXY_COUNT = env.int("DJANGO_CLIENT_IP_PROXY_COUNT", default=1)
# django-ratelimit (the concern form's limit and the page throttles) reads the same address.
RATELIMIT_IP_META_KEY = "regulator.security.log.client_address"
# Sign-in lockout (django-axes): at most 100 failures an hour on one account, and on one address.
AXES_FAILURE_LIMIT = 100
AXES_COOLOFF_TIME = 1  # hours
AXES_USE_ATTEMPT_EXPIRATION = True
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "regulator.security.log.client_address"
AXES_USERNAME_CALLABLE = "regulator.security.log.axes_username"
AXES_LOCKOUT_CALLABLE = "regulator.security.views.locked_out"
AXES_RESET_ON_SUCCESS = False
AXES_VERBOSE = False
AXES_SENSITIVE_PARAMETERS = ["password", "otp_token"]
# Sessions (decision 0784): staff 30 minutes idle and 12 hours in all; registrants 2 hours and 24 hours.
SESSION_STAFF_IDLE_SECONDS = 30 * 60
SESSION_STAFF_ABSOLUTE_SECONDS = 12 * 60 * 60
SESSION_REGISTRANT_IDLE_SECONDS = 2 * 60 * 60
SESSION_REGISTRANT_ABSOLUTE_SECONDS = 24 * 60 * 60
# The GOV.UK timeout warning opens this long before the idle end.
SESSION_WARNING_SECONDS = 5 * 60
SESSION_COOKIE_AGE = SESSION_REGISTRANT_ABSOLUTE_SECONDS
SESSION_COOKIE_SAMESITE = "Lax"
# Two-factor authentication (django-otp, decision 0782).
OTP_TOTP_ISSUER = "Social Work Regulator"
TWO_FACTOR_RECOVERY_CODES = 10
# Content Security Policy (django-csp): no inline script or style, everything from this origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "report-uri": "/csp-report/",
    }
}
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=()"
)
# Page throttles (django-ratelimit, per address unless said): sign-up, password reset, the public register.
REGULATOR_SIGN_UP_RATE = env("REGULATOR_SIGN_UP_RATE", default="10/h")
REGULATOR_PASSWORD_RESET_RATE = env("REGULATOR_PASSWORD_RESET_RATE", default="10/h")
REGULATOR_PASSWORD_RESET_PER_ACCOUNT_RATE = "3/h"
REGULATOR_PUBLIC_PAGES_RATE = env("REGULATOR_PUBLIC_PAGES_RATE", default="600/m")
# Input bounds: JSON nesting, and the size of a CSV field in the officers' imports.
REGULATOR_JSON_MAX_DEPTH = 32
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # Django's default, said here because the parsers rely on it
# seed_demo's known demo password exists only in development (decision 0789).
REGULATOR_DEMO_ALLOWED = False
# --- end security ---

# Queue filters say "Any" for "no filter", as people read it (django-filter's default is dashes).
FILTERS_EMPTY_CHOICE_LABEL = "Any"
