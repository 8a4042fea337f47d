"""Reading untrusted text at the field level, within bounds: whole numbers of any length, instants with
any offset, CSV fields of any size, and error reports that stay small however bad the input.

Small and shared on purpose: the imports (the officers' calls and emails imports today, the interchange
reader the import work is building) call these, so a bad field is a row error and never a 500."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator

# An import reports this many problems, then one line with the count of the rest.
MAX_REPORTED_ERRORS = 100
# A CSV field longer than this is an error for its row (Python's csv module stops at 128 KB with an exception).
MAX_CSV_FIELD_CHARACTERS = 10_000
MAX_NUMBER_DIGITS = 18


class BoundedErrorList(list):
    """A list of problems that keeps the first MAX_REPORTED_ERRORS and counts the rest in a last line."""

    def __init__(self, *args, limit: int = MAX_REPORTED_ERRORS):
        super().__init__(*args)
        self.limit = limit
        self.total = len(self)

    def append(self, item) -> None:
        self.total += 1
        if self.total <= self.limit:
            super().append(item)
            return
        summary = f"… and {self.total - self.limit:,} more problem{'s' if self.total - self.limit > 1 else ''}"
        if len(self) > self.limit:
            self[-1] = summary
        else:
            super().append(summary)


def whole_number(text: str, *, maximum: int) -> int | None:
    """A whole number from 0 to `maximum`, or None: never int() on thousands of digits."""
    text = text.strip()
    if not text or len(text) > MAX_NUMBER_DIGITS or not text.isascii() or not text.isdigit():
        return None
    value = int(text)
    return value if value <= maximum else None


def instant_with_offset(text: str) -> dt.datetime:
    """An ISO 8601 instant with its offset, checked to be a real instant in UTC (an offset such as +23:59 on
    the first or last day of the calendar would overflow when converted). ValueError otherwise."""
    if len(text) > 40:
        raise ValueError("too long for a date and time")
    value = dt.datetime.fromisoformat(text)
    if value.tzinfo is None:
        raise ValueError("a time needs an offset, for example 2020-04-03T10:15:00+01:00")
    try:
        value.astimezone(dt.UTC)
    except (OverflowError, ValueError):
        raise ValueError("the offset takes it outside the calendar") from None
    return value


def csv_dict_rows(text: str) -> tuple[list[str], Iterator[tuple[int, dict[str, str] | None, str]]]:
    """The header and (line, row, problem) for each row: a row whose field is too long, or that the csv
    module cannot read, comes as (line, None, reason) instead of an exception."""
    stream = io.StringIO(text.lstrip("\ufeff"))
    reader = csv.DictReader(stream)
    try:
        header = [h.strip() for h in (reader.fieldnames or [])]
    except csv.Error as error:
        return [], iter([(1, None, f"cannot be read as CSV ({error})")])

    def rows():
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                yield reader.line_num, None, f"cannot be read as CSV ({str(error)[:100]})"
                continue
            # Extra fields beyond the header come as a list under the None key: dropped below.
            too_long = [
                k for k, v in row.items() if k is not None and isinstance(v, str) and len(v) > MAX_CSV_FIELD_CHARACTERS
            ]
            if too_long:
                limit = f"longer than {MAX_CSV_FIELD_CHARACTERS:,} characters"
                yield reader.line_num, None, f"{too_long[0].strip()[:50]}: {limit}"
                continue
            yield reader.line_num, {(k or "").strip(): (v or "").strip() for k, v in row.items() if k is not None}, ""

    return header, rows()
