from django.conf import settings


def session_timeout(request):
    """The idle limit the timeout warning counts down from, for signed-in users."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from .middleware import session_limits

    return {
        "session_idle_seconds": session_limits(user)[0],
        "session_warning_seconds": settings.SESSION_WARNING_SECONDS,
    }
