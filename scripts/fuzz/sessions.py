"""Print {sign-in: session key} for the demo sign-ins, for scripts/fuzz/api.sh and pages.py.

Run with `.venv/bin/python manage.py shell < scripts/fuzz/sessions.py`. A session cookie instead of HTTP Basic
auth: the demo passwords are PBKDF2-hashed, and hashing on every one of ~6,000 requests per caller would make
the run measure the hasher.
"""

import json

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

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
    session[BACKEND_SESSION_KEY] = "regulator.auth_backends.EmailOrUsernameBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    # Demo staff have the development-only authenticator (decision 0789): the session has given it.
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.create()
    sessions[name] = session.session_key
print(json.dumps(sessions))
