"""/dashboard/: the board's operational dashboard for executives, drawn on the server (no JS).

A GOV.UK table per KPI group (months, year to date, aim, RAG as tags with words, direction of
travel as an arrow with words) and a small inline SVG bar chart per KPI with a text alternative.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.views.generic import TemplateView

from .dashboard import DASHBOARD_ROLES, GROUPS, current_year, year_months, year_reports
from .kpis import Direction, Kind, KpiReport, Rag, rag
from .permissions import RoleRequiredMixin

RAG_LABEL = {Rag.GREEN: "Green", Rag.AMBER: "Amber", Rag.RED: "Red"}
RAG_TAG = {Rag.GREEN: "govuk-tag--green", Rag.AMBER: "govuk-tag--orange", Rag.RED: "govuk-tag--red"}
RAG_FILL = {Rag.GREEN: "#00703c", Rag.AMBER: "#f47738", Rag.RED: "#d4351c", None: "#b1b4b6"}
ARROW = {Direction.UP: "↑", Direction.LEVEL: "↔", Direction.DOWN: "↓"}
TRAVEL_WORDS = {Rag.GREEN: "improving", Rag.AMBER: "stable", Rag.RED: "worsening"}
NO_VALUE = "No value"  # a month with an empty population (kpis.md: no value, not 0%)
CHART_WIDTH, CHART_HEIGHT, BAR_GAP = 240, 60, 2


def format_value(kind: Kind, value: float | None) -> str:
    if value is None:
        return NO_VALUE
    return f"{value:.0f}%" if kind is Kind.PERCENTAGE else f"{value:,.0f}"


@dataclass(frozen=True)
class Cell:
    text: str
    rag: Rag | None

    @property
    def empty(self) -> bool:
        return self.text == NO_VALUE

    @property
    def rag_label(self) -> str:
        return RAG_LABEL[self.rag] if self.rag else ""

    @property
    def tag_class(self) -> str:
        return RAG_TAG[self.rag] if self.rag else ""


@dataclass(frozen=True)
class Bar:
    x: int
    y: float
    width: int
    height: float
    fill: str


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    aim_y: float
    summary: str  # the text alternative: every month's value and the aim


def bar_chart(report: KpiReport, month_labels: list[str]) -> Chart:
    """Bars scaled to 100% (percentages) or to the larger of the aim and the highest count."""
    kind = report.kpi.kind
    values = [m.result for m in report.months]
    top = 100.0 if kind is Kind.PERCENTAGE else max([report.kpi.aim, *(v for v in values if v is not None)]) or 1.0
    slots = max(len(values), 12)  # a part year keeps the full year's bar width
    width = CHART_WIDTH // slots
    bars = []
    for i, value in enumerate(values):
        if value is None:
            continue
        height = max(CHART_HEIGHT * min(value, top) / top, 1.0)
        bars.append(
            Bar(
                x=i * width,
                y=CHART_HEIGHT - height,
                width=width - BAR_GAP,
                height=height,
                fill=RAG_FILL[rag(report.kpi, value)],
            )
        )
    described = "; ".join(
        f"{label} {format_value(kind, value)}" for label, value in zip(month_labels, values, strict=True)
    )
    summary = f"{report.kpi.code} by month: {described}. Aim {report.kpi.aim_label}."
    return Chart(bars=bars, aim_y=CHART_HEIGHT - CHART_HEIGHT * min(report.kpi.aim, top) / top, summary=summary)


@dataclass(frozen=True)
class Row:
    code: str
    description: str
    aim: str
    months: list[Cell]
    year_to_date: Cell
    direction: str  # the arrow
    direction_text: str
    direction_rag: Rag | None
    chart: Chart

    @property
    def direction_tag(self) -> str:
        return RAG_TAG[self.direction_rag] if self.direction_rag else ""


def present(report: KpiReport, month_labels: list[str]) -> Row:
    kind = report.kpi.kind
    travel, travel_rag = report.direction, report.direction_rag
    return Row(
        code=report.kpi.code,
        description=report.kpi.description,
        aim=report.kpi.aim_label.replace(">=", "≥").replace("<=", "≤"),
        months=[Cell(format_value(kind, m.result), rag(report.kpi, m.result)) for m in report.months],
        year_to_date=Cell(format_value(kind, report.year_to_date), report.year_to_date_rag),
        direction=ARROW[travel] if travel else "",
        direction_text=(
            f"{travel.value.capitalize()}, {TRAVEL_WORDS[travel_rag]}" if travel and travel_rag else "Too few months"
        ),
        direction_rag=travel_rag,
        chart=bar_chart(report, month_labels),
    )


class DashboardView(RoleRequiredMixin, TemplateView):
    template_name = "regulator/dashboard.html"
    required_roles = DASHBOARD_ROLES

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        this_year = current_year()
        try:
            year = int(self.request.GET.get("year", this_year))
        except ValueError:
            year = this_year
        year = min(max(year, 2020), this_year)  # the regulator began in 2020; no future years
        months = year_months(year)
        labels = [m.strftime("%b %Y") for m in months]
        reports = {r.kpi.code: r for r in year_reports(year)}
        context.update(
            year=year,
            year_label=f"{year}/{str(year + 1)[2:]}",
            years=[
                {"value": y, "text": f"{y}/{str(y + 1)[2:]}", "selected": y == year} for y in range(this_year, 2019, -1)
            ],
            month_headings=[(m.strftime("%b"), m.year) for m in months],
            groups=[
                {"slug": g.slug, "title": g.title, "rows": [present(reports[c], labels) for c in g.codes]}
                for g in GROUPS
            ],
            chart_width=CHART_WIDTH,
            chart_height=CHART_HEIGHT,
        )
        return context
