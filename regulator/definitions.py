"""The rule behind every figure of the board pack, in words: the definitions page and docs/kpis.md.

The KPIs' rules are shared/kpis.md's, said plainly; each metric row carries its own definition where
it is computed (`<app>/metrics.py`). A test keeps docs/kpis.md in step with this module.
"""

from __future__ import annotations

from dataclasses import dataclass

from .kpis import KPIS
from .metrics import TABLE_SOURCES, metric_table

KPI_RULES: dict[str, str] = {
    "REG1": "New applications by the UK route with no investigation required, counted in the month they were "
    "approved: met when approved within 10 working days of receipt, less the working days spent awaiting the "
    "applicant (from a request for more information to its answer).",
    "REG2": "Calls received in the month, less those hung up before queueing: met when answered with a queue time "
    "of 5 minutes (300 seconds) or less.",
    "REG3": "Emails received in the month: met when answered within 5 working days of receipt (London dates).",
    "TRI1": "Triage decisions in the month (closed at triage, or referred to investigation): met when made within "
    "28 calendar days of establishing that the case concerns a registered social worker.",
    "TRI2": "Initial reviews completed in the month: met when completed within 10 working days of the social "
    "worker being identified.",
    "TRI3": "At the end of the month's last day, the cases whose social worker has been identified and which have "
    "no triage decision yet. Aim: 300 or fewer.",
    "TRI4": "Of the triage decisions in the month, the share that closed the case at triage.",
    "INV1": "At the end of the month's last day, the investigations open: referred to (or returned for) "
    "investigation and neither closed at investigation nor referred to case examiners. Aim: 1,100 or fewer.",
    "INV2": "Social Work England cases referred to case examiners in the month: met when referred on or before "
    "the start of that investigation plus 6 calendar months.",
    "INV3": "Cumulatively at the end of each month, of the HCPC cases referred to investigation by then, the share "
    "closed at investigation or referred to case examiners by then (toward December 2021).",
    "CE1": "Case examiners' initial decisions in the month: met when made within 10 working days of the referral "
    "to case examiners.",
    "CE2": "HCPC cases with a case examiner outcome in the month (no further action, accepted disposal, referral to "
    "a hearing): the share referred to a hearing (lower is better).",
    "CE3": "The same for Social Work England cases.",
}
GENERAL_RULES: tuple[tuple[str, str], ...] = (
    ("Months", "A month counts the items whose closing event (the decision, the progression, the answer) falls in "
     "it, by its calendar date in Europe/London; end-of-month counts are taken at the end of the month's last day."),
    ("Working days", "Monday to Friday, except bank holidays in England and Wales. `wd(a, b)` counts the working "
     "days after a up to and including b: received on a Monday and decided the next Monday is 5."),
    ("No value", "A percentage with nothing to count in a month (no decisions, no calls) has no value, shown as a "
     "dash, not 0%. A median or average over no items likewise."),
    ("Year to date", "From 1 April, pooling the months' populations (not a mean of monthly percentages); for a "
     "count KPI or a cumulative one, the latest month's value."),
    ("RAG", "Green: the value meets the aim. Amber: it misses by no more than the tolerance (5 percentage points "
     "where the aim is 40% or less, 10 points where it is 80% or more, 10% of the aim for a count). Red: by more."),
    ("Direction of travel", "The slope of a least-squares line through the year's monthly values, each month "
     "weighted by its position (1, 2, ...). Level when the fitted change over the year is within 2 percentage "
     "points (2% of the aim for a count); the arrow is green when the move is toward the aim, red when away, "
     "amber when level."),
    ("Medians and averages", "Taken over the items closed in the month; the median of an even number of items is "
     "the mean of the middle two."),
)
REGISTER_RULE = (
    "The social work register (not the temporary register) at the end of the range's last month, by the route of "
    "entry on the register entry, the registrant's recorded gender and the ten commonest recorded nationalities."
)


@dataclass(frozen=True)
class Definition:
    name: str
    rule: str


@dataclass(frozen=True)
class DefinitionSection:
    slug: str
    title: str
    definitions: tuple[Definition, ...]


def definition_sections() -> list[DefinitionSection]:
    sections = [
        DefinitionSection("general", "How every figure is counted", tuple(Definition(n, r) for n, r in GENERAL_RULES)),
        DefinitionSection(
            "kpis",
            "Key performance indicators",
            tuple(Definition(f"{k.code}: {k.description} (aim {k.aim_label})", KPI_RULES[k.code])
                  for k in KPIS.values()),
        ),
    ]
    for source in TABLE_SOURCES:
        table = metric_table(source.slug)
        sections.append(
            DefinitionSection(
                table.slug,
                table.title,
                tuple(Definition(f"{m.group}: {m.label}" if m.group else m.label, m.definition)
                      for m in table.metrics),
            )
        )
    sections.append(DefinitionSection("register", "The register", (Definition("Social workers by route of entry, "
                                                                              "gender and nationality",
                                                                              REGISTER_RULE),)))
    return sections


def as_markdown() -> str:
    """docs/kpis.md's generated part (python -c 'from regulator.definitions import ...' writes it)."""
    lines = []
    for section in definition_sections():
        lines += [f"## {section.title}", ""]
        lines += [f"- **{d.name}**: {d.rule}" for d in section.definitions]
        lines.append("")
    return "\n".join(lines)
