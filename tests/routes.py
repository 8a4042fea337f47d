"""Every URL pattern the project serves, for the tests that check all of them."""

from django.urls import URLPattern, URLResolver, get_resolver


def url_patterns() -> list[tuple[str, URLPattern]]:
    """(full route, pattern) for every endpoint, walking nested includes."""
    found: list[tuple[str, URLPattern]] = []

    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                found.append((prefix + str(p.pattern), p))

    walk(get_resolver().url_patterns)
    return found
