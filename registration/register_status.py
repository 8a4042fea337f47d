"""What an entry's status says to the public, in words and colour: one place, read by the entry
page, the search results, the employer check (screen, CSV) and the public API, so none can say
"Registered" where an order restricts the person.

The words come from the entry and the orders in force today (prefetched by
`registration.selectors.public_entries`, so no query per row). Precedence when several orders are
in force: suspension over conditions over a warning (the most restrictive is what an employer must
read first); every order in force is still listed beside it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from fitness_to_practise.models import Order

# How many years an ended final order stays in the entry's published history (docs/register-publication.md).
ENDED_ORDER_PUBLISHED_YEARS = 5
# Orders whose ending takes them off the register at once: interim orders (no finding was made) and advice.
NOT_KEPT_AFTER_ENDING = (Order.Kind.INTERIM_CONDITIONS, Order.Kind.INTERIM_SUSPENSION, Order.Kind.ADVICE)

# Order kind -> (the words after "Registered: ", the GOV.UK tag colour, precedence: lower wins).
_RESTRICTIONS: dict[str, tuple[str, str, int]] = {
    Order.Kind.INTERIM_SUSPENSION: ("interim suspension", "red", 0),
    Order.Kind.SUSPENSION: ("suspended", "red", 0),
    Order.Kind.INTERIM_CONDITIONS: ("interim conditions of practice", "orange", 1),
    Order.Kind.CONDITIONS: ("conditions of practice", "orange", 1),
    Order.Kind.WARNING: ("warning", "yellow", 2),
}


@dataclass(frozen=True)
class OrderDates:
    order: Order
    label: str
    starts_on: dt.date
    last_day: dt.date | None  # the last day in force (ends_on is the first day out of force)

    @property
    def text(self) -> str:
        until = f" to {self.last_day:%-d %B %Y}" if self.last_day else ""
        return f"{self.label} from {self.starts_on:%-d %B %Y}{until}"


@dataclass(frozen=True)
class PublicStatus:
    label: str  # "Registered", "Registered: suspended", "Removed: temporary registration ended"
    colour: str  # the govuk-tag modifier: green, red, orange, yellow, grey
    since: dt.date | None = None
    order: OrderDates | None = None  # the order that sets the status, with its dates
    orders: list[OrderDates] = field(default_factory=list)  # every order in force

    @property
    def registered(self) -> bool:
        return self.label.startswith("Registered")

    @property
    def text(self) -> str:
        """The status as one line of plain text (the CSV, the API)."""
        if self.order:
            return f"{self.label} ({self.order.text})"
        return self.label


def order_dates(order: Order) -> OrderDates:
    last_day = order.ends_on - dt.timedelta(days=1) if order.ends_on else None
    return OrderDates(order=order, label=order.get_kind_display(), starts_on=order.starts_on, last_day=last_day)


def public_status(entry, *, today: dt.date) -> PublicStatus:
    """The entry's status today. `entry.orders_in_force` must be prefetched (public_entries does)."""
    orders = [order_dates(o) for o in getattr(entry, "orders_in_force", [])]
    temporary_ended = (
        entry.register == "temporary" and entry.temporary_until is not None and entry.temporary_until <= today
    )
    if entry.status != "registered" or temporary_ended:
        if temporary_ended and entry.status == "registered":
            # The daily job ends it just after midnight; the page is true even before it has run.
            return PublicStatus("Removed: temporary registration ended", "grey", entry.temporary_until, None, orders)
        reason = entry.get_removal_reason_display().lower() if entry.removal_reason else ""
        label = f"Removed: {reason}" if reason else "Removed"
        return PublicStatus(label, "grey", entry.status_changed_on, None, orders)
    restricting = sorted(
        (o for o in orders if o.order.kind in _RESTRICTIONS), key=lambda o: _RESTRICTIONS[o.order.kind][2]
    )
    if restricting:
        words, colour, _ = _RESTRICTIONS[restricting[0].order.kind]
        return PublicStatus(f"Registered: {words}", colour, restricting[0].starts_on, restricting[0], orders)
    return PublicStatus("Registered", "green", entry.status_changed_on, None, orders)


def published_history(orders, *, today: dt.date) -> list[OrderDates]:
    """Of an entry's ended orders, those the publication rule still shows, latest first."""
    cutoff = _years_before(today, ENDED_ORDER_PUBLISHED_YEARS)
    kept = [
        o
        for o in orders
        if o.ends_on is not None and o.ends_on <= today and o.ends_on > cutoff and o.kind not in NOT_KEPT_AFTER_ENDING
    ]
    return [order_dates(o) for o in sorted(kept, key=lambda o: (o.ends_on, o.pk), reverse=True)]


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)
