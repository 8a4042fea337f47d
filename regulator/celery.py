"""The one Celery app. Periodic tasks are declared in settings (CELERY_BEAT_SCHEDULE), in one place."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regulator.settings.local")

app = Celery("regulator")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
