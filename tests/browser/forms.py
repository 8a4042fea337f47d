"""Filling GOV.UK form components in browser tests."""

import datetime as dt


def fill_date(page, legend: str, day: dt.date) -> None:
    """Type a date into the GOV.UK date input whose fieldset legend is `legend` (day, month, year)."""
    group = page.get_by_role("group", name=legend, exact=True)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))
