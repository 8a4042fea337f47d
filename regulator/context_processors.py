"""Navigation for the GOV.UK service navigation bar: the sections the signed-in user may open."""

from django.conf import settings
from django.urls import NoReverseMatch, reverse

from .roles import Role, has_role

# (label, url name, roles that see it); None means everyone.
NAVIGATION: list[tuple[str, str, tuple[Role, ...] | None]] = [
    ("Search the register", "register:search", None),
]


def register_navigation(label: str, url_name: str, roles: tuple[Role, ...] | None) -> None:
    """Apps add their sections here (in their AppConfig.ready), so the bar is declared in one place."""
    if (label, url_name, roles) not in NAVIGATION:
        NAVIGATION.append((label, url_name, roles))


def navigation(request):
    items = []
    user = getattr(request, "user", None)
    for label, url_name, roles in NAVIGATION:
        if roles is not None and not has_role(user, *roles):
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        items.append({"label": label, "url": url, "active": request.path.startswith(url) and url != "/"})
    return {"service_navigation": items, "service_name": "Social work register", "contact": settings.REGULATOR_CONTACT}
