"""The demo data of education QA and complaints: the regulator's proportions, a sign-in per role,
worked through the services (so the timelines and figures have something to show)."""

import io
import random

import pytest

from complaints import demo as complaints_demo
from complaints.models import Complaint, InformationRequest
from education_qa import demo as education_demo
from education_qa.models import ApprovalRequest, Condition, CourseProvider, MonitoringCycle, ProviderUser
from education_qa.selectors import approved_courses_on, education_monthly_figures
from registration import demo as registration_demo
from regulator.demo import DemoContext
from regulator.models import User

pytestmark = pytest.mark.dates


@pytest.mark.django_db
def test_demo_seeds_providers_courses_work_and_a_sign_in_for_each_role():
    import datetime as dt

    context = DemoContext(registrants=200, rng=random.Random(7), stdout=io.StringIO(), progress=False)
    registration_demo.seed(context)
    education_demo.seed(context)
    complaints_demo.seed(context)
    assert CourseProvider.objects.count() == 81
    assert approved_courses_on(dt.date(2020, 12, 31)).count() >= 276
    assert ApprovalRequest.objects.filter(inspection__isnull=False).exists()
    assert Condition.objects.filter(status="met").exists()
    assert MonitoringCycle.objects.get(year=2020).returns.filter(status="awaited").exists()
    assert Complaint.objects.filter(stage=2).exists() and InformationRequest.objects.filter(kind="sar").exists()
    provider = User.objects.get(username="provider")
    assert ProviderUser.objects.get(user=provider).provider.courses.exists()
    roles = {label for label, _, _ in context.sign_ins}
    assert {"Education QA officer", "Education provider", "Complaints officer"} <= roles
    may = education_monthly_figures(dt.date(2020, 5, 1), dt.date(2020, 5, 1))[0]
    assert may["enquiries_received"] == 29 and may["concerns_received"] == 3
    education_demo.seed(context)  # a second run leaves the data as it is
    assert CourseProvider.objects.count() == 81
