"""Pagination for the public register search: counts that stay cheap at a million entries."""

from django.core.paginator import InvalidPage, PageNotAnInteger, Paginator
from django.utils.functional import cached_property
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

# Past this many matches the search says "10,000+" (nobody pages through more); counting a whole
# town of 150,000 entries would cost more than the search itself.
COUNT_CAP = 10_000


class RegisterPaginator(Paginator):
    """Counts at most COUNT_CAP matches, and not at all when the first page is not full."""

    @cached_property
    def count(self) -> int:
        return (
            self.object_list.order_by()[: COUNT_CAP + 1].count()
            if hasattr(self.object_list, "order_by")
            else len(self.object_list)
        )

    @property
    def count_capped(self) -> bool:
        return self.count > COUNT_CAP

    @property
    def shown_count(self) -> int:
        """What the page says: the count, or the cap when there are more."""
        return min(self.count, COUNT_CAP)

    def page(self, number):
        try:
            number = int(number)
        except (TypeError, ValueError) as error:
            raise PageNotAnInteger("That page number is not a whole number") from error
        if number == 1 and "count" not in self.__dict__:
            rows = list(self.object_list[: self.per_page + 1])
            if len(rows) <= self.per_page:
                self.__dict__["count"] = len(rows)  # the first page holds every match: no COUNT query
            return self._get_page(rows[: self.per_page], number, self)
        return super().page(number)


class RegisterSearchPagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    django_paginator_class = RegisterPaginator

    def paginate_queryset(self, queryset, request, view=None):
        try:
            return super().paginate_queryset(queryset, request, view)
        except (InvalidPage, NotFound) as error:
            raise NotFound("Invalid page: there are no results on that page.") from error

    def get_paginated_response(self, data):
        paginator = self.page.paginator
        return Response(
            {
                "count": paginator.shown_count,
                "count_capped": paginator.count_capped,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["properties"]["count_capped"] = {
            "type": "boolean",
            "description": f"True when there are more than {COUNT_CAP:,} matches (count shows {COUNT_CAP:,}).",
        }
        return response
