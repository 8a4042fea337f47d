"""Print {sign-in: session key} for the demo sign-ins, for scripts/fuzz/api.sh and pages.py.

Run with `.venv/bin/python manage.py shell < scripts/fuzz/sessions.py`. A session cookie instead of HTTP Basic
auth: the demo passwords are PBKDF2-hashed, and hashing on every one of ~6,000 requests per caller would make
the run measure the hasher.
"""

import json

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore

CALLERS = [
    "registrant",
    "registration.officer",
    "ftp.handler",
    "case.examiner",
    "adjudications.officer",
    "education.officer",
    "provider",
    "complaints.officer",
    "executive",
    "admin",
]
sessions = {}
for name in CALLERS:
    user = get_user_model().objects.get(username=name)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    sessions[name] = session.session_key
print(json.dumps(sessions))
