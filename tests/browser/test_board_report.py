"""An executive reads the board's report in a real browser at 1280 px: every month of a twelve-month
period is on screen without scrolling sideways, and the CSV and the PDF download."""

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from fitness_to_practise import services
from fitness_to_practise.tests.factories import open_case
from registration.models import Call
from regulator.roles import Role
from regulator.working_days import LONDON
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]  # browser: not rerun each stress day

PERIOD = "from=2020-04&to=2021-03"  # a whole past regulator year: the test needs no particular today
MONTHS = ["Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Jan", "Feb", "Mar"]


def at(day: str) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(10), tzinfo=LONDON)


def signed_in(page, live_server, roles) -> None:
    client = Client()
    client.force_login(UserFactory.create(roles=roles))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def test_the_board_report_at_1280px_shows_every_month_and_downloads_csv_and_pdf(page, live_server, screenshot):
    for i in range(3):
        case = open_case(at=at(f"2020-0{4 + i}-01"))
        services.case_complete_initial_review(
            case_id=case.pk, version=None, actor=None, reason="r", risk_level="low", at=at(f"2020-0{4 + i}-03")
        )
        Call.objects.create(received_at=at(f"2020-1{i}-05"), queue_seconds=60 * i, outcome="answered", key=f"k{i}")
    signed_in(page, live_server, [Role.EXECUTIVE])
    page.set_viewport_size({"width": 1280, "height": 900})

    page.goto(f"/dashboard/?{PERIOD}")

    expect(page.get_by_role("heading", name="April 2020 to March 2021")).to_be_visible()
    tables = page.locator("table.app-kpi-table, table.app-metric-table")
    assert tables.count() == 4 + 5  # four KPI groups, five metric tables
    for i in range(tables.count()):
        table = tables.nth(i)
        headers = table.locator("thead th.app-board-month")
        assert headers.count() == 12
        for j, month in enumerate(MONTHS):
            box = headers.nth(j).bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 1280, (i, month, box)
            assert headers.nth(j).inner_text().startswith(month)
        # Nothing hidden behind a sideways scroll: the table is no wider than its region.
        assert table.evaluate("t => t.scrollWidth <= t.parentElement.clientWidth + 1"), i
    expect(page.get_by_text("Green", exact=True).first).to_be_visible()  # RAG as a word, not colour alone
    assert (page.locator("svg[role=img] title").first.text_content() or "").startswith("REG1 by month:")
    screenshot(page, "board-report-1280")

    with page.expect_download() as csv_download:
        page.get_by_role("link", name="Download the KPIs (CSV)").click()
    text = Path(csv_download.value.path()).read_text(encoding="utf-8")
    assert text.splitlines()[0].endswith("2021-01,2021-02,2021-03") and "\nREG1," in text

    with page.expect_download(timeout=180_000) as pdf_download:  # WeasyPrint lays out the whole pack
        page.get_by_role("link", name="Download the board report (PDF)").click()
    assert pdf_download.value.suggested_filename == "board-report-2020-04-to-2021-03.pdf"
    assert Path(pdf_download.value.path()).read_bytes()[:5] == b"%PDF-"
