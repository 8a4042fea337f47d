"""GOV.UK style for dates and times in templates: "4 December 2026 at 12:56pm", "midday", "midnight"
(the GOV.UK style guide; Django's "a" format writes "p.m.")."""

import datetime as dt

from django import template
from django.utils import timezone

register = template.Library()


def govuk_time_text(value: dt.datetime | dt.time) -> str:
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    hour, minute = value.hour, value.minute
    if (hour, minute) == (12, 0):
        return "midday"
    if (hour, minute) == (0, 0):
        return "midnight"
    suffix = "am" if hour < 12 else "pm"
    hour12 = hour % 12 or 12
    return f"{hour12}{suffix}" if minute == 0 else f"{hour12}:{minute:02d}{suffix}"


@register.filter
def govuk_time(value):
    return govuk_time_text(value) if value else ""


@register.filter
def govuk_datetime(value):
    """A moment as GOV.UK writes it: "4 December 2026 at 12:56pm"."""
    if not value:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{value:%-d %B %Y} at {govuk_time_text(value)}"
