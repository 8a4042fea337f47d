"""FOI: exemptions named when information is withheld (s.17), and the public interest extension for a
qualified exemption (s.10(3), 20 further working days), once, within the first 20 working days."""

import datetime as dt

import pytest

from complaints import services
from complaints.deadlines import information_request_due_on
from complaints.models import InformationRequest
from regulator.errors import InvalidTransition, RuleViolation
from regulator.working_days import add_working_days

pytestmark = [pytest.mark.dates, pytest.mark.django_db]


def received() -> dt.date:
    """Seventy days before the test's today (read when the test runs, never at import: --stress-days
    moves each test to its own day after collection), so every date below is before today."""
    return dt.date.today() - dt.timedelta(days=70)


def _foi(kind="foi", received_on=None):
    return services.information_request_receive(
        kind=kind, requester_name="A journalist", description="Contracts", actor=None,
        received_on=received_on or received(),
    )


def test_the_public_interest_extension_adds_twenty_working_days():
    request = _foi()
    services.foi_public_interest_extend(
        request=request,
        exemption="43",
        actor=None,
        reason="Weighing commercial interests",
        on=received() + dt.timedelta(days=4),
    )
    assert information_request_due_on("foi", received(), True) == add_working_days(received(), 40)
    event = request.events.get(kind="extended")
    assert event.detail == "s.43"


@pytest.mark.parametrize(
    ("exemption", "kind", "on", "error", "field"),
    [
        pytest.param("40", "foi", 4, RuleViolation, "exemption", id="absolute-exemption"),
        pytest.param("99", "foi", 4, RuleViolation, "exemption", id="no-such-exemption"),
        pytest.param("43", "sar", 4, InvalidTransition, None, id="not-an-foi"),
        pytest.param("43", "foi", 50, RuleViolation, "on", id="after-the-first-20-days"),
    ],
)
def test_the_public_interest_extension_is_refused_when_it_cannot_apply(exemption, kind, on, error, field):
    request = _foi(kind=kind)
    with pytest.raises(error) as refused:
        services.foi_public_interest_extend(
            request=request, exemption=exemption, actor=None, reason="r", on=received() + dt.timedelta(days=on)
        )
    assert refused.value.field == field
    assert not request.events.filter(kind="extended").exists()


def test_the_public_interest_extension_is_made_once():
    request = _foi()
    services.foi_public_interest_extend(request=request, exemption="43", actor=None, reason="r", on=received())
    with pytest.raises(InvalidTransition):
        services.foi_public_interest_extend(request=request, exemption="42", actor=None, reason="r", on=received())


@pytest.mark.parametrize(
    ("outcome", "exemptions", "ok"),
    [
        ("withheld", [], False),
        ("partly_provided", [], False),
        ("withheld", ["40", "43"], True),
        ("provided", ["40"], False),
        ("provided", [], True),
        ("withheld", ["12"], False),
    ],
)
def test_an_foi_withheld_names_its_exemptions(outcome, exemptions, ok):
    request = _foi()
    if not ok:
        with pytest.raises(RuleViolation) as refused:
            services.information_request_close(
                request=request, outcome=outcome, actor=None, exemptions=exemptions,
                on=received() + dt.timedelta(days=9),
            )
        assert refused.value.field == "exemptions"
        request.refresh_from_db()
        assert request.status == InformationRequest.Status.OPEN
        return
    services.information_request_close(
        request=request, outcome=outcome, actor=None, exemptions=exemptions, on=received() + dt.timedelta(days=9)
    )
    detail = request.events.get(kind="closed").detail
    assert detail == (f"{outcome}:s.40,s.43" if exemptions else outcome)


def test_the_request_page_says_the_exemptions_in_words(client, user_with_role):
    officer = user_with_role("complaints_officer")
    request = _foi()
    services.information_request_close(
        request=request, outcome="withheld", actor=officer, exemptions=["43"], on=received() + dt.timedelta(days=9)
    )
    client.force_login(officer)
    page = client.get(f"/information-requests/{request.pk}/").content.decode()
    assert "Withheld (exemption applies). Exemptions: Section 43: commercial interests" in page
    assert "withheld:s.43" not in page
