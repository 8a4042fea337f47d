"""A change that fails part-way leaves nothing behind: not the state, not the event, not the audit."""

import datetime as dt

import pytest

from complaints import services
from complaints.models import Complaint, ComplaintEvent
from education_qa import services as education
from education_qa.models import ApprovalRequest, Condition, Course, EducationEvent
from education_qa.tests.factories import request_at
from regulator.models import AuditEvent

from .factories import make_complaint

pytestmark = pytest.mark.django_db


class Boom(Exception):
    pass


def _fail_on_audit(monkeypatch, module):
    def boom(**kwargs):
        raise Boom("the audit trail is unavailable")

    monkeypatch.setattr(module, "audit_record", boom)


def test_an_escalation_that_fails_at_the_audit_leaves_the_complaint_at_stage_1(monkeypatch, user_with_role):
    officer = user_with_role("complaints_officer")
    c = make_complaint(received_on=dt.date(2020, 4, 2))
    services.complaint_assign(complaint=c, officer=officer, actor=officer)
    services.complaint_respond(complaint=c, actor=officer, response="r", on=dt.date(2020, 4, 6))
    before = (ComplaintEvent.objects.count(), AuditEvent.objects.count())
    _fail_on_audit(monkeypatch, services)
    with pytest.raises(Boom):
        services.complaint_escalate(complaint=c, actor=officer, reason="unhappy", on=dt.date(2020, 4, 7))
    c = Complaint.objects.get(pk=c.pk)
    assert (c.stage, c.status) == (1, "responded")
    assert (ComplaintEvent.objects.count(), AuditEvent.objects.count()) == before


def test_a_decision_that_fails_at_the_audit_leaves_no_conditions_and_no_course_status(monkeypatch):
    req = request_at(ApprovalRequest.Status.INSPECTED)
    before = (EducationEvent.objects.count(), Condition.objects.count())
    _fail_on_audit(monkeypatch, education)
    with pytest.raises(Boom):
        education.approval_request_decide(
            approval_request=req,
            outcome="approved_with_conditions",
            conditions=[("Placements", dt.date(2020, 9, 1))],
            on=dt.date(2020, 6, 1),
            actor=None,
        )
    assert ApprovalRequest.objects.get(pk=req.pk).status == "inspected"
    assert Course.objects.get(pk=req.course_id).status == "proposed"
    assert (EducationEvent.objects.count(), Condition.objects.count()) == before
