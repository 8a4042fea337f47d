"""Paging the FTP queues by ids first (a "deferred join"): the database walks an index to find the
page's ids, then fetches only those rows with their joins. A deep page no longer joins every row it
skips, and the number of queries stays the same whatever the page size or number."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from regulator.pagination import StandardPagination


def rows_for_ids(queryset: QuerySet, ids: list) -> list:
    """The rows of a page, in the order of its ids, in one query."""
    by_id = {obj.pk: obj for obj in queryset.filter(pk__in=ids).order_by()}
    return [by_id[pk] for pk in ids if pk in by_id]


class IdFirstPaginator(Paginator):
    """A Django paginator over a queryset that pages its ids and then loads the page's rows."""

    def __init__(self, queryset: QuerySet, per_page, **kwargs):
        self.full_queryset = queryset
        super().__init__(queryset.values_list("pk", flat=True), per_page, **kwargs)

    def _get_page(self, object_list, number, paginator) -> Page:
        return Page(rows_for_ids(self.full_queryset, list(object_list)), number, paginator)


class IdFirstPagination(StandardPagination):
    """The API's standard pagination, paging ids first (see IdFirstPaginator)."""

    django_paginator_class = IdFirstPaginator
