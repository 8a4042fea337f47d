"""The public register pages: search, an entry, and the employer check."""

from django.core.paginator import EmptyPage, PageNotAnInteger
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from .checks import CheckError, check_numbers, rows_as_csv, split_numbers
from .pagination import RegisterPaginator
from .selectors import (
    EMPLOYER_CHECK_LIMIT,
    MAX_QUERY_LENGTH,
    SearchError,
    parse_registration_number,
    parse_search,
    register_entry_public,
    register_search,
)

RESULTS_PER_PAGE = 20


def register_search_page(request):
    q, town = request.GET.get("q", ""), request.GET.get("town", "")
    context = {
        "q": q[: MAX_QUERY_LENGTH * 2],
        "town": town[: MAX_QUERY_LENGTH * 2],
        "searched": bool(q or town),
        "max_length": MAX_QUERY_LENGTH,
    }
    if context["searched"]:
        try:
            results = register_search(parse_search(q, town))
        except SearchError as error:
            context["error"] = error
        else:
            paginator = RegisterPaginator(results, RESULTS_PER_PAGE)
            try:
                page = paginator.page(request.GET.get("page", 1))
            except PageNotAnInteger:
                page = paginator.page(1)
            except EmptyPage:
                page = None
                context["page_error"] = "There are no more results. Go back to the first page."
            context.update(page_obj=page, count=paginator.shown_count, count_capped=paginator.count_capped)
            params = request.GET.copy()
            params.pop("page", None)
            context["query_without_page"] = params.urlencode()
    return render(request, "registration/register_search.html", context)


def register_entry_page(request, number: str):
    parsed = parse_registration_number(number)
    entry = register_entry_public(parsed) if parsed else None
    if entry is None:
        raise Http404("No entry on the register has that number")
    return render(request, "registration/register_entry.html", {"entry": entry})


@require_http_methods(["GET", "POST"])
def register_check_page(request):
    context = {"limit": EMPLOYER_CHECK_LIMIT, "numbers_text": ""}
    if request.method == "POST":
        text = request.POST.get("numbers", "")[:5000]
        context["numbers_text"] = text
        try:
            rows = check_numbers(split_numbers(text))
        except CheckError as error:
            context["error"] = str(error)
        else:
            if "download" in request.POST:
                response = HttpResponse(rows_as_csv(rows), content_type="text/csv; charset=utf-8")
                response["Content-Disposition"] = 'attachment; filename="register-check.csv"'
                return response
            context["rows"] = rows
            context["found"] = sum(1 for r in rows if r["found"])
    return render(request, "registration/register_check.html", context)
