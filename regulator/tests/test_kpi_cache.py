"""Kept KPI months (regulator.kpi_cache): computed once, forgotten by the database whenever their
history changes, whichever way the change is written, and never kept beside an uncommitted write."""

import datetime as dt
import importlib

import psycopg
import pytest
from django.db import connection

from fitness_to_practise import services
from fitness_to_practise.models import CaseEvent, FitnessToPractiseCase
from fitness_to_practise.tests.factories import open_case
from registration.models import Application, Call
from regulator import kpi_cache
from regulator.dashboard import RULES_MODULES, kpi_months, month_range
from regulator.models import KpiMonth
from regulator.working_days import LONDON

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

YEAR = month_range(dt.date(2025, 4, 1), dt.date(2026, 3, 1))
FTP = ["TRI1", "TRI2", "TRI3", "TRI4", "INV1", "INV2", "INV3", "CE1", "CE2", "CE3"]
ALL = ["REG1", "REG2", "REG3", *FTP]


def at(day: str, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), tzinfo=LONDON)


def triaged(identified: str, decided: str, origin: str = "swe") -> FitnessToPractiseCase:
    case = open_case(at=at(identified), origin=origin)
    services.case_complete_initial_review(
        case_id=case.pk, version=None, actor=None, reason="r", risk_level="low", at=at(identified)
    )
    services.case_close_at_triage(case_id=case.pk, version=None, actor=None, reason="r", at=at(decided))
    return case


def kept_months(code: str) -> list[dt.date]:
    return sorted(KpiMonth.objects.filter(code=code).values_list("month", flat=True))


def tri1(month: dt.date) -> tuple[int, int]:
    m = next(m for m in kpi_months(["TRI1"], YEAR)["TRI1"] if m.month == month)
    return m.met, m.population


def test_months_are_computed_once_and_kept(django_assert_num_queries):
    triaged("2025-09-01", "2025-09-10")
    kpi_months(ALL, YEAR)
    assert KpiMonth.objects.count() == len(ALL) * len(YEAR)

    with django_assert_num_queries(1):  # read from the kept months only
        months = kpi_months(ALL, YEAR)
    september = next(m for m in months["TRI4"] if m.month == dt.date(2025, 9, 1))
    assert (september.met, september.population) == (1, 1)


def test_a_late_event_forgets_its_month_and_the_later_ones_of_the_kpis_that_read_it():
    triaged("2025-09-01", "2025-09-10")
    kpi_months(ALL, YEAR)

    triaged("2025-06-02", "2025-06-20")  # a late event, dated June, written in December

    assert kept_months("TRI1") == YEAR[:2]  # April and May kept; June onward forgotten
    assert kept_months("REG1") == YEAR  # registration's months do not read case events
    assert tri1(dt.date(2025, 6, 1)) == (1, 1)  # never stale: the next read computes June again


def test_an_import_written_in_bulk_is_seen():
    case = open_case(at=at("2025-07-01"))
    kpi_months(FTP, YEAR)
    CaseEvent.objects.bulk_create([CaseEvent(case=case, kind="triage_closed", at=at("2025-07-31"))])
    assert tri1(dt.date(2025, 7, 1)) == (0, 1)  # 30 days: in the population, missed


def test_moving_an_event_to_another_month_forgets_both():
    case = triaged("2025-05-01", "2025-05-20")
    kpi_months(FTP, YEAR)
    CaseEvent.objects.filter(case=case, kind="triage_closed").update(at=at("2025-08-01"))

    assert kept_months("TRI1") == YEAR[:1]  # from May, the earlier of the two months
    assert tri1(dt.date(2025, 5, 1)) == (0, 0)
    assert tri1(dt.date(2025, 8, 1)) == (0, 1)


def test_deleting_an_event_forgets_its_month():
    case = triaged("2025-05-01", "2025-05-20")
    kpi_months(FTP, YEAR)
    CaseEvent.objects.filter(case=case, kind="triage_closed").delete()
    assert tri1(dt.date(2025, 5, 1)) == (0, 0)


def test_a_change_of_origin_forgets_every_ftp_month():
    case = triaged("2025-05-01", "2025-05-20", origin="hcpc")
    kpi_months(ALL, YEAR)
    FitnessToPractiseCase.objects.filter(pk=case.pk).update(origin="swe")
    assert KpiMonth.objects.filter(code__in=FTP).count() == 0
    assert KpiMonth.objects.filter(code__startswith="REG").count() == 3 * len(YEAR)
    FitnessToPractiseCase.objects.filter(pk=case.pk).update(stage_started_at=at("2025-05-21"))  # not origin
    kpi_months(ALL, YEAR)
    FitnessToPractiseCase.objects.filter(pk=case.pk).update(stage_started_at=at("2025-05-22"))
    assert KpiMonth.objects.count() == len(ALL) * len(YEAR)


def test_calls_and_applications_forget_their_own_kpis():
    kpi_months(ALL, YEAR)
    when = at("2025-11-03")
    Call.objects.create(received_at=when, queue_seconds=10, outcome="answered", key=Call.key_for(when, 10, "answered"))
    assert kept_months("REG2") == YEAR[:7]  # April to October kept
    assert kept_months("REG3") == YEAR
    Application.objects.update(route="overseas")  # no applications: no row changed, nothing forgotten
    assert kept_months("REG1") == YEAR


def test_months_computed_by_other_rules_are_not_read():
    triaged("2025-09-01", "2025-09-10")
    kpi_months(FTP, YEAR)
    KpiMonth.objects.filter(code="TRI1").update(met=99, rules="an older engine")
    september = next(m for m in kpi_months(["TRI1"], YEAR)["TRI1"] if m.month == dt.date(2025, 9, 1))
    assert (september.met, september.population) == (1, 1)
    assert set(KpiMonth.objects.filter(code="TRI1").values_list("rules", flat=True)) == {
        kpi_cache.rules_fingerprint(RULES_MODULES)
    }


def test_the_lock_key_is_the_one_the_triggers_take():
    migration = importlib.import_module("regulator.migrations.0003_kpi_months_kept_and_invalidated_by_triggers")
    assert migration.LOCK_KEY == kpi_cache.LOCK_KEY


@pytest.mark.django_db(transaction=True)
def test_months_computed_while_an_event_is_being_written_are_served_but_not_kept():
    case = open_case(at=at("2025-07-01"))
    settings = connection.settings_dict
    other = psycopg.connect(
        dbname=settings["NAME"], user=settings["USER"], host=settings["HOST"], port=settings["PORT"] or 5432
    )
    try:
        other.execute(  # an importer mid-transaction: its event is written, not yet committed
            f"INSERT INTO {CaseEvent._meta.db_table} (case_id, kind, at, reason, detail) VALUES (%s, %s, %s, '', '')",
            [case.pk, "triage_closed", at("2025-07-10")],
        )
        assert tri1(dt.date(2025, 7, 1)) == (0, 0)  # it cannot see the uncommitted decision...
        assert KpiMonth.objects.count() == 0  # ...so it keeps nothing it computed
        other.commit()
    finally:
        other.close()
    assert tri1(dt.date(2025, 7, 1)) == (1, 1)
    assert kept_months("TRI1") == YEAR
