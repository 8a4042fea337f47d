"""The one place the board pack reads the KPIs: for any run of months, through regulator.dashboard.

It reads `range_reports`, the same kept-month engine as the KPI API (`regulator/kpi_cache.py`), so
the page, its CSV and its PDF show exactly the figures the API serves. Year to date and direction of
travel are, as kpis.md says, over the regulator year (from 1 April) of the range's last month.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from .dashboard import range_reports
from .kpis import KpiReport


def kpi_reports(months: Sequence[dt.date], codes: Sequence[str] | None = None) -> list[KpiReport]:
    """Each KPI's report over `months` (consecutive, oldest first), months kept once computed."""
    return range_reports(months[0], months[-1], list(codes) if codes is not None else None, today=months[-1])
