"""Bulk writing for the apps' bulk writers (registration/bulk.py, fitness_to_practise/bulk.py, ...):
COPY on PostgreSQL, bulk_create elsewhere; ids reserved from the table's own sequence so a writer
can hand children their parent's id without reading it back."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connection

BATCH = 20_000


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


def lock_for_import(models) -> None:
    """Keep other writers out of these tables until the import's transaction ends, so the ids it
    reserves are its own (EXCLUSIVE still lets readers read)."""
    if not _is_postgres():
        return
    tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in models)
    with connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {tables} IN EXCLUSIVE MODE")


def reserve_ids(model, n: int) -> range:
    """n fresh primary keys from the model's sequence (the caller holds lock_for_import)."""
    if n <= 0:
        return range(0)
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if _is_postgres():
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), nextval(pg_get_serial_sequence(%s, 'id')) + %s - 1)",
                [table, table, n],
            )
            last = cursor.fetchone()[0]
        else:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")
            last = max(cursor.fetchone()[0], _sqlite_reserved.get(table, 0)) + n
            _sqlite_reserved[table] = last
    return range(last - n + 1, last + 1)


_sqlite_reserved: dict[str, int] = {}


def copy_rows(model, columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Write rows (values in `columns` order, db column names) to the model's table; returns the count."""
    table = connection.ops.quote_name(model._meta.db_table)
    column_list = ", ".join(connection.ops.quote_name(c) for c in columns)
    n = 0
    if _is_postgres():
        # Raw psycopg COPY: wrap its errors as Django's, so callers see a DatabaseError like any other.
        with (
            connection.cursor() as cursor,
            connection.wrap_database_errors,
            cursor.cursor.copy(f"COPY {table} ({column_list}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
                n += 1
        return n
    by_column = {f.column: f.attname for f in model._meta.concrete_fields}
    names = [by_column[c] for c in columns]
    batch = []
    for row in rows:
        batch.append(model(**dict(zip(names, row, strict=True))))
        if len(batch) >= 2000:
            model.objects.bulk_create(batch)
            n += len(batch)
            batch = []
    model.objects.bulk_create(batch)
    return n + len(batch)


def copy_records(model, records: Iterable[dict]) -> int:
    """Write records given as {attname: value}; every other column takes its model default (and
    auto_now / auto_now_add columns the time now), so a writer names only what it knows."""
    from django.utils import timezone

    now = timezone.now()
    fields = list(model._meta.concrete_fields)
    defaults: list[object] = []
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            defaults.append(now)
        elif f.has_default() or f.null or f.blank:
            defaults.append(f.get_default() if f.has_default() else (None if f.null else ""))
        else:
            defaults.append(_REQUIRED)
    names = [f.attname for f in fields]

    pairs = list(zip(names, defaults, strict=True))

    def rows():
        for record in records:
            row = [record.get(name, default) for name, default in pairs]
            if any(value is _REQUIRED for value in row):
                missing = [name for name, value in zip(names, row, strict=True) if value is _REQUIRED]
                raise ValueError(f"{model.__name__}: {', '.join(missing)} required")
            yield row

    return copy_rows(model, [f.column for f in fields], rows())


_REQUIRED = object()


def update_rows(model, key: str, columns: Sequence[str], rows: Sequence[Sequence]) -> int:
    """Set `columns` on the rows whose `key` is each row's first value (one statement per batch)."""
    if not rows:
        return 0
    table = connection.ops.quote_name(model._meta.db_table)
    fields = {f.column: f for f in model._meta.concrete_fields}
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            chunk = rows[start : start + BATCH]
            if _is_postgres():
                casts = [fields[c].db_type(connection) for c in (key, *columns)]
                placeholders = ", ".join("(" + ", ".join(f"%s::{t}" for t in casts) + ")" for _ in chunk)
                names = ", ".join(connection.ops.quote_name(c) for c in (key, *columns))
                sets = ", ".join(f"{connection.ops.quote_name(c)} = v.{connection.ops.quote_name(c)}" for c in columns)
                cursor.execute(
                    f"UPDATE {table} AS t SET {sets} FROM (VALUES {placeholders}) AS v ({names}) "
                    f"WHERE t.{connection.ops.quote_name(key)} = v.{connection.ops.quote_name(key)}",
                    [value for row in chunk for value in row],
                )
            else:
                sets = ", ".join(f"{connection.ops.quote_name(c)} = %s" for c in columns)
                for row in chunk:
                    cursor.execute(
                        f"UPDATE {table} SET {sets} WHERE {connection.ops.quote_name(key)} = %s",
                        [*row[1:], row[0]],
                    )
    return len(rows)
