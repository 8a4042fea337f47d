import datetime as dt

from regulator.forms import DateInput


def test_a_saved_date_is_shown_in_the_iso_form_a_browser_date_field_can_display():
    html = DateInput().render("on", dt.date(2026, 6, 30))
    assert 'type="date"' in html and 'value="2026-06-30"' in html
