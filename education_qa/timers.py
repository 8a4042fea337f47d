"""Education QA's work items for the service-standard timers (regulator.timers): conditions on
courses and annual monitoring returns, each due by the date set on it (the `on_record` rules)."""

from __future__ import annotations

from regulator.models import ServiceStandard
from regulator.roles import Role
from regulator.timers import Source, Spec

from .models import Condition, MonitoringReturn

Code = ServiceStandard.Code
TEAM = str(Role.EDUCATION_QA_OFFICER)


def condition_specs(ids: list[int]) -> dict[int, list[Spec]]:
    return {
        c.pk: [
            Spec(
                clock=Code.COURSE_CONDITION,
                started_on=c.approval_request.decided_on or c.due_on,
                reference=f"Condition {c.pk}",
                team=TEAM,
                stopped_on=c.decided_on,
                due_by=c.due_on,
            )
        ]
        for c in Condition.objects.filter(pk__in=ids).select_related("approval_request")
    }


def return_specs(ids: list[int]) -> dict[int, list[Spec]]:
    return {
        r.pk: [
            Spec(
                clock=Code.MONITORING_RETURN,
                started_on=r.cycle.opened_on,
                reference=f"Return {r.pk}",
                team=TEAM,
                stopped_on=r.submitted_on,
                due_by=r.cycle.due_on,
            )
        ]
        for r in MonitoringReturn.objects.filter(pk__in=ids).select_related("cycle")
    }


SOURCES = [
    Source(
        "education_qa.condition",
        "Condition",
        condition_specs,
        lambda: Condition.objects.filter(status=Condition.Status.OPEN),
    ),
    Source(
        "education_qa.monitoring_return",
        "Monitoring return",
        return_specs,
        lambda: MonitoringReturn.objects.filter(status=MonitoringReturn.Status.AWAITED),
    ),
]


HOOKS = [
    ("education_qa.Condition", "education_qa.condition", "pk"),
    ("education_qa.MonitoringReturn", "education_qa.monitoring_return", "pk"),
]
