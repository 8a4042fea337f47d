"""Reading one file of the interchange format (shared/interchange.md), streamed line by line.

Every value is parsed here and nowhere else: a bad one becomes `file:line: column: reason` in the
report, and the row comes out with `ok` False so the caller can still use its key (a bad registrant
row must not make every later event for that number an "unknown registration number" too).
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from regulator.working_days import LONDON

# How many errors a report keeps word for word; every error is still counted.
MAX_KEPT_ERRORS = 1000


# The longest value any column of the format needs (a case event's free-text detail); a longer one is a
# row error, never a read of an unbounded field (security issue: a 128 KB field answered 500).
MAX_FIELD_CHARS = 10_000
# What a report quotes of a bad value: enough to find it, never the value whole.
QUOTED_CHARS = 40


class ValueProblem(ValueError):
    """A value that does not parse: the message is the reason shown after `column:`."""


def _quoted(text: str) -> str:
    return repr(text if len(text) <= QUOTED_CHARS else text[:QUOTED_CHARS] + "…")


def parse_text(text: str) -> str:
    return text


def parse_date(text: str) -> dt.date:
    try:
        if len(text) != 10:
            raise ValueError
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueProblem(f"not a date YYYY-MM-DD ({_quoted(text)})") from None


def parse_instant(text: str) -> dt.datetime:
    """ISO 8601 with an offset; a date alone is the start of that day in Europe/London."""
    if len(text) == 10:
        return dt.datetime.combine(parse_date(text), dt.time(0), tzinfo=LONDON)
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise ValueProblem(f"not a time with an offset, e.g. 2020-04-03T10:15:00+01:00 ({_quoted(text)})") from None
    if value.tzinfo is None:
        raise ValueProblem(f"a time needs an offset, e.g. 2020-04-03T10:15:00+01:00 ({_quoted(text)})")
    try:  # an odd offset at the calendar's edge (0001-01-01T00:00+23:59) has no instant in UTC
        value.astimezone(dt.UTC)
    except OverflowError:
        raise ValueProblem(f"outside the dates this service can hold ({_quoted(text)})") from None
    return value


def parse_boolean(text: str) -> bool:
    if text == "true":
        return True
    if text == "false":
        return False
    raise ValueProblem(f"must be true or false ({_quoted(text)})")


def parse_seconds(text: str) -> int:
    if not text.isdigit() or len(text) > 9:  # 9 digits: over 30 years of seconds, far past any queue
        raise ValueProblem(f"must be a whole number of seconds, at most 9 digits ({_quoted(text)})")
    return int(text)


def choice(*values: str) -> Callable[[str], str]:
    allowed = frozenset(values)

    def parse(text: str) -> str:
        if text not in allowed:
            raise ValueProblem(f"must be one of {', '.join(values)} ({_quoted(text)})")
        return text

    return parse


@dataclass(frozen=True)
class Column:
    name: str
    parse: Callable[[str], object] = parse_text
    required: bool = True


@dataclass(frozen=True)
class FileSpec:
    name: str
    columns: tuple[Column, ...]

    @cached_property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


@dataclass
class Report:
    """Every problem found, as `file:line: column: reason`, and the counts of rows by what became of them."""

    errors: list[str] = field(default_factory=list)
    error_count: int = 0
    rows_read: int = 0
    counts: dict[str, dict[str, int]] = field(default_factory=dict)

    def error(self, file: str, line: int | str, column: str, reason: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_KEPT_ERRORS:
            self.errors.append(f"{file}:{line}: {column}: {reason}")

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def count(self, file: str, outcome: str, n: int = 1) -> None:
        per_file = self.counts.setdefault(file, {"new": 0, "unchanged": 0, "conflicting": 0})
        per_file[outcome] += n

    def totals(self) -> dict[str, int]:
        totals = {"new": 0, "unchanged": 0, "conflicting": 0}
        for per_file in self.counts.values():
            for outcome, n in per_file.items():
                totals[outcome] += n
        return totals

    def summary_lines(self, limit: int = 50) -> list[str]:
        lines = list(self.errors[:limit])
        if self.error_count > len(lines):
            lines.append(f"... and {self.error_count - len(lines)} more ({self.error_count} errors in all)")
        return lines

    def as_dict(self) -> dict:
        return {
            "errors": self.errors,
            "error_count": self.error_count,
            "rows_read": self.rows_read,
            "counts": self.counts,
        }

    @classmethod
    def from_dict(cls, data: dict) -> Report:
        return cls(
            errors=list(data.get("errors", [])),
            error_count=data.get("error_count", 0),
            rows_read=data.get("rows_read", 0),
            counts=dict(data.get("counts", {})),
        )


@dataclass
class Row:
    line: int
    values: dict[str, object]
    ok: bool


class Progress:
    """Bytes and rows read so far, told to whoever watches (tqdm on the command line, the job's row)."""

    def __init__(self, total_bytes: int, on_update: Callable[[int, int], None] | None = None):
        self.total_bytes, self.bytes_read, self.rows_read = total_bytes, 0, 0
        self._on_update = on_update

    def advance(self, n_bytes: int, n_rows: int) -> None:
        self.bytes_read += n_bytes
        self.rows_read += n_rows
        if self._on_update:
            self._on_update(n_bytes, n_rows)


def _lines(path: Path, progress: Progress | None, report: Report, name: str) -> Iterator[str]:
    pending_bytes = pending_rows = 0
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                report.error(name, number, "-", "not UTF-8 text")
                text = raw.decode("utf-8", errors="replace")
            if number == 1:
                text = text.lstrip("\ufeff")
            pending_bytes += len(raw)
            pending_rows += 1
            if progress and pending_rows >= 5000:
                progress.advance(pending_bytes, pending_rows)
                pending_bytes = pending_rows = 0
            yield text
    if progress:
        progress.advance(pending_bytes, pending_rows)


def read_rows(folder: Path, spec: FileSpec, report: Report, progress: Progress | None = None) -> Iterator[Row]:
    """The file's rows, parsed by its spec. Unknown or missing columns stop the file at its header
    (nothing below it can be read reliably); every other problem is reported and reading goes on."""
    path = folder / spec.name
    reader = csv.reader(_lines(path, progress, report, spec.name))
    header = next(reader, None)
    if header is None:
        report.error(spec.name, 1, "-", "the file is empty: it needs at least its header row")
        return
    header = [h.strip() for h in header]
    by_name = {c.name: c for c in spec.columns}
    bad_header = False
    for name in header:
        if name not in by_name:
            report.error(spec.name, 1, name or "(blank)", "unknown column")
            bad_header = True
    for name in spec.names:
        if name not in header:
            report.error(spec.name, 1, name, "missing column")
            bad_header = True
    if len(set(header)) != len(header):
        report.error(spec.name, 1, "-", "a column appears twice")
        bad_header = True
    if bad_header:
        for _ in reader:  # still count (and stream past) the rows, so progress adds up
            pass
        return
    columns = [by_name[h] for h in header]
    width = len(columns)
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as problem:  # a field past the csv module's limit, a NUL byte: this row only
            report.rows_read += 1
            report.error(spec.name, reader.line_num, "-", f"the row cannot be read ({str(problem)[:80]})")
            continue
        line = reader.line_num
        report.rows_read += 1
        if len(cells) != width:
            if not cells:
                report.error(spec.name, line, "-", "blank line")
            else:
                report.error(spec.name, line, "-", f"{len(cells)} values for {width} columns")
            continue
        values: dict[str, object] = {}
        ok = True
        for column, text in zip(columns, cells, strict=True):
            text = text.strip()
            if len(text) > MAX_FIELD_CHARS:
                values[column.name] = None
                report.error(spec.name, line, column.name, f"longer than {MAX_FIELD_CHARS:,} characters")
                ok = False
                continue
            if not text:
                values[column.name] = None
                if column.required:
                    report.error(spec.name, line, column.name, "missing value")
                    ok = False
                continue
            try:
                values[column.name] = column.parse(text)
            except ValueProblem as problem:
                values[column.name] = None
                report.error(spec.name, line, column.name, str(problem))
                ok = False
        yield Row(line, values, ok)
