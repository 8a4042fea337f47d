"""/dashboard/: the board's operational performance report for executives, drawn on the server (no JS).

Laid out like the board's pack (the first seed): a GOV.UK table per KPI group (aim, year to date,
direction of travel as an arrow with words, then every month of the period with RAG as colour and
word), an inline SVG bar chart per KPI (axes, month labels, the aim line, a text alternative), then
the monthly metric tables and the register. A period picker (from, to) is a plain GET form. Every
table downloads as CSV; the whole pack prints as an A4 landscape report and downloads as a PDF.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.views import View
from django.views.generic import TemplateView

from .board_kpis import kpi_reports
from .csv_export import csv_response
from .dashboard import DASHBOARD_ROLES, GROUPS, current_year, year_months
from .definitions import definition_sections
from .kpi_months import first_of_month, month_end
from .kpis import KPIS, Direction, Kind, KpiReport, Rag, rag
from .metrics import METRIC_READER_ROLES, TABLE_SOURCES, TableReport, Unit, register_breakdown, table_report
from .periods import FIRST_MONTH, Period, PeriodError, default_period, months_between, parse_period
from .permissions import RoleRequiredMixin
from .transitions import today

RAG_LABEL = {Rag.GREEN: "Green", Rag.AMBER: "Amber", Rag.RED: "Red"}
RAG_TAG = {Rag.GREEN: "govuk-tag--green", Rag.AMBER: "govuk-tag--orange", Rag.RED: "govuk-tag--red"}
RAG_FILL = {Rag.GREEN: "#00703c", Rag.AMBER: "#f47738", Rag.RED: "#d4351c", None: "#b1b4b6"}
ARROW = {Direction.UP: "↑", Direction.LEVEL: "↔", Direction.DOWN: "↓"}
TRAVEL_WORDS = {Rag.GREEN: "improving", Rag.AMBER: "stable", Rag.RED: "worsening"}
NO_VALUE = "No value"  # a month with an empty population (kpis.md: no value, not 0%)
CHART_WIDTH, CHART_HEIGHT, BAR_GAP = 300, 130, 2


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
    x: float
    y: float
    width: float
    height: float
    fill: str


@dataclass(frozen=True)
class Tick:
    x: float
    y: float
    text: str


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    aim_y: float
    aim_text: str
    aim_text_y: float
    x_labels: list[Tick]  # a month label under each slot
    y_labels: list[Tick]  # 0 and the top of the scale, left of the axis
    summary: str  # the text alternative: every month's value and the aim


# The plot area inside the SVG: room on the left for the scale and below for the month labels.
PLOT_LEFT, PLOT_TOP, PLOT_RIGHT, PLOT_BOTTOM = 34, 6, CHART_WIDTH - 4, CHART_HEIGHT - 16


def bar_chart(report: KpiReport, month_labels: list[str]) -> Chart:
    """Bars scaled to 100% (percentages) or to the larger of the aim and the highest count, with a
    y axis (0 and the top), a month label under each bar and the dashed aim line."""
    kind = report.kpi.kind
    values = [m.result for m in report.months]
    top = 100.0 if kind is Kind.PERCENTAGE else max([report.kpi.aim, *(v for v in values if v is not None)]) or 1.0
    plot_width, plot_height = PLOT_RIGHT - PLOT_LEFT, PLOT_BOTTOM - PLOT_TOP
    slot = plot_width / max(len(values), 1)

    def y_of(value: float) -> float:
        return PLOT_BOTTOM - plot_height * min(value, top) / top

    bars = []
    for i, value in enumerate(values):
        if value is None:
            continue
        height = max(plot_height * min(value, top) / top, 1.0)
        bars.append(Bar(x=PLOT_LEFT + i * slot + BAR_GAP / 2, y=PLOT_BOTTOM - height, width=slot - BAR_GAP,
                        height=height, fill=RAG_FILL[rag(report.kpi, value)]))
    described = "; ".join(
        f"{label} {format_value(kind, value)}" for label, value in zip(month_labels, values, strict=True)
    )
    summary = f"{report.kpi.code} by month: {described}. Aim {report.kpi.aim_label}."
    return Chart(
        bars=bars,
        aim_y=y_of(report.kpi.aim),
        aim_text=f"Aim {report.kpi.aim_label}".replace(">=", "≥").replace("<=", "≤"),
        aim_text_y=max(y_of(report.kpi.aim) - 2, PLOT_TOP + 8),
        x_labels=[Tick(PLOT_LEFT + (i + 0.5) * slot, CHART_HEIGHT - 4, label[:3])
                  for i, label in enumerate(month_labels)],
        y_labels=[Tick(PLOT_LEFT - 3, PLOT_BOTTOM, "0"), Tick(PLOT_LEFT - 3, PLOT_TOP + 7, format_value(kind, top))],
        summary=summary,
    )


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




# --- The metric tables ------------------------------------------------------------------------------

REGULATOR_BEGAN = dt.date(2020, 4, 1)  # the first month the picker offers (Social Work England began regulating)


def format_metric(unit: Unit, value: float | None) -> str:
    if value is None:
        return NO_VALUE
    if unit is Unit.COUNT:
        return f"{value:,.0f}"
    text = f"{value:,.1f}".removesuffix(".0")
    return f"{text}%" if unit is Unit.PERCENTAGE else text


@dataclass(frozen=True)
class MetricLine:
    label: str
    group: str
    starts_group: bool  # the first row under a new sub-heading
    cells: list[str]


def metric_lines(report: TableReport) -> list[MetricLine]:
    lines, previous = [], None
    for metric in report.table.metrics:
        lines.append(
            MetricLine(
                label=metric.label,
                group=metric.group,
                starts_group=bool(metric.group) and metric.group != previous,
                cells=[format_metric(metric.unit, v) for v in report.values[metric.key]],
            )
        )
        previous = metric.group
    return lines


# --- The period -------------------------------------------------------------------------------------


def period_of(request) -> tuple[Period, dict[str, str]]:
    """The period asked for (?from=&to=, or the older ?year=), or the year so far with the errors."""
    raw_from, raw_to, raw_year = (request.GET.get(k) for k in ("from", "to", "year"))
    if raw_year and not (raw_from or raw_to):
        try:
            year = min(max(int(raw_year), REGULATOR_BEGAN.year), current_year())
        except ValueError:
            return default_period(), {"from": "Choose the months to show."}
        return Period(year_months(year)), {}
    try:
        return parse_period(raw_from, raw_to), {}
    except PeriodError as error:
        return default_period(), error.errors


def month_options(selected: dt.date) -> list[dict]:
    last = first_of_month(today())
    return [
        {"value": f"{m:%Y-%m}", "text": f"{m:%B %Y}", "selected": m == selected}
        for m in months_between(max(REGULATOR_BEGAN, FIRST_MONTH), last)
    ]


def board_pack(period: Period) -> dict:
    """Everything the page, the print and the PDF show for a period (executives and administrators)."""
    months = period.months
    labels = [m.strftime("%b %Y") for m in months]
    reports = {r.kpi.code: r for r in kpi_reports(months)}
    as_at = month_end(months[-1])
    return {
        "period": period,
        "month_headings": [(m.strftime("%b"), m.year) for m in months],
        "groups": [
            {"slug": g.slug, "title": g.title, "rows": [present(reports[c], labels) for c in g.codes]} for g in GROUPS
        ],
        "tables": [
            {"slug": t.table.slug, "title": t.table.title, "lines": metric_lines(t)}
            for t in (table_report(s.slug, months) for s in TABLE_SOURCES)
        ],
        "register_tables": _register_tables(register_breakdown(months[-1])),
        "as_at": as_at,
        "chart_width": CHART_WIDTH,
        "chart_height": CHART_HEIGHT,
        "plot_left": PLOT_LEFT,
        "plot_right": PLOT_RIGHT,
        "plot_top": PLOT_TOP,
        "plot_bottom": PLOT_BOTTOM,
    }


def _register_tables(found: dict[str, list[tuple[str, int]]]) -> list[tuple[str, list[tuple[str, str]]]]:
    titles = {"route": "Route of entry", "gender": "Gender", "nationality": "Top 10 nationalities"}
    return [(titles[k], [(label, f"{n:,}") for label, n in pairs]) for k, pairs in found.items()]


class DashboardView(RoleRequiredMixin, TemplateView):
    template_name = "regulator/dashboard.html"
    required_roles = DASHBOARD_ROLES

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        period, errors = period_of(self.request)
        context.update(board_pack(period))
        context.update(
            errors=errors,
            period_fields=[
                ("from", "From", month_options(period.first)),
                ("to", "To", month_options(period.last)),
            ],
        )
        return context


class DashboardPdfView(RoleRequiredMixin, View):
    """The whole board pack as an A4 landscape PDF (WeasyPrint, decision 0860)."""

    required_roles = DASHBOARD_ROLES

    def get(self, request):
        from weasyprint import HTML  # imported here: the only view that needs Pango loaded

        period, _ = period_of(request)
        html = render_to_string("regulator/dashboard_pdf.html", board_pack(period), request=request)
        # No base URL and no fetcher for remote files: the PDF's template carries its own styles.
        pdf = HTML(string=html, url_fetcher=_refuse_fetch).write_pdf()
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = (
            f'attachment; filename="board-report-{period.first:%Y-%m}-to-{period.last:%Y-%m}.pdf"'
        )
        return response


def _refuse_fetch(url: str, *args, **kwargs):
    raise ValueError(f"The board pack PDF fetches nothing ({url})")


class DashboardCsvView(RoleRequiredMixin, View):
    """One table of the pack as CSV: `kpis`, a metric table's slug, or `register`."""

    required_roles = DASHBOARD_ROLES

    def get(self, request, table: str):
        period, _ = period_of(request)
        months = period.months
        stem = f"{table}-{period.first:%Y-%m}-to-{period.last:%Y-%m}.csv"
        month_columns = [f"{m:%Y-%m}" for m in months]
        if table == "kpis":
            reports = kpi_reports(months)
            header = ["KPI", "Description", "Aim", "Year to date", "Year to date RAG", "Direction", "Direction RAG",
                      *month_columns]
            rows = [
                [r.kpi.code, r.kpi.description, r.kpi.aim_label, _rounded(r.year_to_date), r.year_to_date_rag or "",
                 r.direction or "", r.direction_rag or "", *(_rounded(m.result) for m in r.months)]
                for r in reports
            ]
            return csv_response(stem, header, rows)
        if table == "register":
            found = register_breakdown(months[-1])
            rows = [[dimension, label, n] for dimension, pairs in found.items() for label, n in pairs]
            return csv_response(stem, ["Breakdown", f"Value at {month_end(months[-1])}", "Social workers"], rows)
        if table not in {s.slug for s in TABLE_SOURCES}:
            raise Http404
        report = table_report(table, months)
        rows = [[m.group, m.label, str(m.unit), *(_rounded(v) for v in report.values[m.key])]
                for m in report.table.metrics]
        return csv_response(stem, ["Group", "Metric", "Unit", *month_columns], rows)


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


class DefinitionsView(RoleRequiredMixin, TemplateView):
    """The rule behind every figure of the pack, in words (the same text as docs/kpis.md)."""

    template_name = "regulator/definitions.html"
    required_roles = METRIC_READER_ROLES

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "sections": definition_sections(), "kpi_count": len(KPIS)}
