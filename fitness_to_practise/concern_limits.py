"""The public concern form's and API's limit on concerns sent, shared by both.

Only concerns actually sent count (a form sent back with a mistake does not). A council or a
hospital sends from one address for many staff, so the limit is kept per sender at that address
(the address with the referrer's email, or their name when they give no email), with a wider
ceiling for the address as a whole to stop a flood. The address is django-ratelimit's "ip" key,
so it is whatever the deployment's client-address setting says (the security work sets the real one).
"""

from django_ratelimit.core import get_usage

# One person at one address: plenty for honest use, few enough to stop a script.
PER_SENDER_RATE = "5/h"
# Everyone behind one address together (a council, a hospital, a university).
PER_ADDRESS_RATE = "50/h"


def _sender(data) -> str:
    who = (data.get("referrer_email") or data.get("referrer_name") or "").strip().lower()
    return who[:200]


def _limits(data):
    # django-ratelimit keys its counter on (group, address): the sender is part of the group.
    return [
        (f"ftp-concern-sender:{_sender(data)}", "ip", PER_SENDER_RATE),
        ("ftp-concern-address", "ip", PER_ADDRESS_RATE),
    ]


def concern_limit_reached(request, data) -> bool:
    """Whether one more concern from this sender at this address would pass a limit (counts nothing)."""
    for group, key, rate in _limits(data):
        usage = get_usage(request, group=group, key=key, rate=rate, increment=False)
        if usage is not None and usage["count"] >= usage["limit"]:
            return True
    return False


def concern_sent(request, data) -> None:
    """Count a concern that was sent."""
    for group, key, rate in _limits(data):
        get_usage(request, group=group, key=key, rate=rate, increment=True)
