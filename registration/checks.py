"""The employer check: many numbers at once, as rows for a table, JSON or CSV."""

import csv
import io

from .selectors import EMPLOYER_CHECK_LIMIT, parse_registration_number, register_entries_by_numbers

CSV_COLUMNS = [
    "number_checked",
    "found",
    "registration_number",
    "name",
    "town",
    "register",
    "status",
    "status_since",
    "annotations",
    "orders",
]


class CheckError(ValueError):
    pass


def split_numbers(text: str) -> list[str]:
    """Numbers pasted one per line, or separated by commas or spaces."""
    return [part for part in text.replace(",", " ").split() if part.strip()]


def check_numbers(numbers: list[str]) -> list[dict]:
    """One row per number given, in the order given: found or not, with the public entry."""
    if not numbers:
        raise CheckError("Enter at least one registration number")
    if len(numbers) > EMPLOYER_CHECK_LIMIT:
        raise CheckError(f"Enter {EMPLOYER_CHECK_LIMIT} registration numbers or fewer (you entered {len(numbers)})")
    parsed = [(n, parse_registration_number(n)) for n in numbers]
    entries = register_entries_by_numbers([p for _, p in parsed if p])
    return [{"number": given, "found": p in entries, "entry": entries.get(p) if p else None} for given, p in parsed]


def _cell(value) -> str:
    """Neutralise spreadsheet formulae (CSV injection) in text that came from people."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _order_text(order) -> str:
    until = f" to {order.ends_on.isoformat()}" if order.ends_on else ""
    return f"{order.get_kind_display()} from {order.starts_on.isoformat()}{until}"


def rows_as_csv(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        entry = row["entry"]
        if entry is None:
            writer.writerow([_cell(row["number"]), "no", "", "", "", "", "", "", "", ""])
            continue
        writer.writerow(
            [
                _cell(row["number"]),
                "yes",
                entry.registration_number,
                _cell(f"{entry.registrant.given_name} {entry.registrant.family_name}"),
                _cell(entry.town),
                entry.get_register_display(),
                entry.public_status.label,
                entry.status_changed_on.isoformat(),
                "; ".join(a.get_kind_display() for a in entry.annotations_in_force),
                "; ".join(_order_text(o) for o in entry.orders_in_force),
            ]
        )
    return out.getvalue()
