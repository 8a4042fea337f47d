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
    "crispy_forms",
    "crispy_forms_gds",
    "regulator",
    "registration",
    "fitness_to_practise",
    "education_qa",
    "complaints",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "regulator.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
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
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Uploaded documents live outside the web root and are only ever served through a view that checks access.
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "var" / "uploads"))

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="no-reply@regulator.example")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.BasicAuthentication",
    ],
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
# Every periodic task, in one place. Each app adds its entries in its own section below.
CELERY_BEAT_SCHEDULE: dict[str, dict] = {
    # --- registration ---
    "registration-renewal-reminders": {
        "task": "registration.tasks.send_renewal_reminders",
        "schedule": crontab(hour=9, minute=0),  # daily; the task sends only on reminder days
    },
    # --- fitness_to_practise ---
    "ftp-orders-sweep": {"task": "fitness_to_practise.orders_sweep", "schedule": 60 * 60},  # hourly; idempotent
    # --- education_qa ---
    "education-qa-chase-overdue-monitoring-returns": {
        "task": "education_qa.tasks.chase_overdue_monitoring_returns",
        "schedule": crontab(minute=0, hour=9, day_of_week="mon"),  # Monday mornings
    },
    # --- complaints ---
}

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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="WARNING")},
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

AUTHENTICATION_BACKENDS = ["regulator.auth_backends.EmailOrUsernameBackend"]

# Queue filters say "Any" for "no filter", as people read it (django-filter's default is dashes).
FILTERS_EMPTY_CHOICE_LABEL = "Any"
