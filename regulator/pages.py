"""Officers' pages shared by every app: a queue (a filtered, paginated selector) and an item page
with its timeline and a form for each change allowed now. A form's POST runs the same service the
API calls; a domain error shows on that form as a GOV.UK error (400, or 409 for a refused step)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import django_filters
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Layout, Size
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.shortcuts import redirect
from django.utils.text import slugify
from django.views.generic import TemplateView

from .errors import DomainError
from .forms import GDSFormMixin
from .permissions import RoleRequiredMixin

QUEUE_PAGE_SIZE = 25


class ActionForm(GDSFormMixin, forms.Form):
    """A change on an item page. `version` carries what the officer read (a stale one gets 409)."""

    action = forms.CharField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    label = "Save"  # the heading of the form's details block; the button says submit_label

    def __init__(self, *args, name: str, **kwargs):
        super().__init__(*args, prefix=name, **kwargs)
        self.fields["action"].initial = name
        self.name = name
        # Several forms share a page: each button needs its own id.
        self.helper.layout = Layout(*self.fields.keys(), Button("submit", self.submit_label, css_id=f"{name}-submit"))


@dataclass(frozen=True)
class Column:
    """A queue column: its heading and, if it can be sorted, the fields it sorts by (on the server, over the
    whole result, never only the rows on screen)."""

    label: str
    order: tuple[str, ...] = ()
    numeric: bool = False

    @property
    def key(self) -> str:
        return slugify(self.label)


class QueuePage(RoleRequiredMixin, TemplateView):
    """A queue: a django-filter FilterSet over a selector, as a GOV.UK table with the MOJ filter layout.

    `columns` (optional) draws the table head with a sort link for each sortable column (`?sort=key`,
    `?sort=-key`); the filters and the sort are kept in every link, the page number is not."""

    filterset_class: type[django_filters.FilterSet] | None = None
    title = ""
    columns: tuple[Column, ...] = ()

    def sorted(self, qs):
        wanted = self.request.GET.get("sort", "")
        descending = wanted.startswith("-")
        column = next((c for c in self.columns if c.order and c.key == wanted.lstrip("-")), None)
        if column is None:
            return qs, "", False
        fields = [f"-{f}" if descending else f for f in column.order]
        return qs.order_by(*fields, "-pk" if descending else "pk"), column.key, descending

    def headers(self, current: str, descending: bool) -> list[dict]:
        params = self.request.GET.copy()
        for name in ("page", "sort"):
            params.pop(name, None)
        base = params.urlencode()
        heads = []
        for column in self.columns:
            head: dict[str, Any] = {"label": column.label, "numeric": column.numeric, "url": None, "aria_sort": None}
            if column.order:
                now = column.key == current
                target = f"-{column.key}" if now and not descending else column.key
                head["url"] = f"?{base}&sort={target}" if base else f"?sort={target}"
                head["aria_sort"] = ("descending" if descending else "ascending") if now else "none"
            heads.append(head)
        return heads

    def get_queryset(self):
        raise NotImplementedError

    def rows(self, page):
        """Hook for per-row values computed without queries (clocks)."""
        return page

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        assert self.filterset_class is not None, "a queue names its FilterSet"
        filterset = self.filterset_class(self.request.GET or None, queryset=self.get_queryset())
        filterset.form.helper = FormHelper()
        filterset.form.helper.form_tag = False
        filterset.form.helper.disable_csrf = True  # a GET form: a token would land in the filter URL
        filterset.form.helper.label_size = Size.SMALL
        filterset.form.helper.layout = Layout(*filterset.form.fields.keys(), Button("filter", "Apply filters"))
        qs = filterset.qs if filterset.is_bound and filterset.is_valid() else self.get_queryset()
        qs, sort_key, descending = self.sorted(qs)
        paginator = Paginator(qs, QUEUE_PAGE_SIZE)
        try:
            page = paginator.page(self.request.GET.get("page", 1))
        except (PageNotAnInteger, EmptyPage):
            page = paginator.page(1)
        params = self.request.GET.copy()
        params.pop("page", None)
        context.update(
            title=self.title,
            filter_form=filterset.form,
            page_obj=page,
            rows=self.rows(page),
            count=paginator.count,
            query_without_page=params.urlencode(),
            headers=self.headers(sort_key, descending) if self.columns else None,
        )
        return context


class ItemPage(RoleRequiredMixin, TemplateView):
    """An item with its timeline and the changes allowed now, each a form that calls a service."""

    def get_object(self):
        raise NotImplementedError

    def available_actions(self, obj) -> dict[str, Any]:
        """The forms for the changes allowed in the record's current state (name -> form class)."""
        return {}

    def perform(self, name: str, obj, data: dict) -> str:
        """Run the service for the action; return the success message."""
        raise NotImplementedError

    def timeline(self, obj) -> list[dict]:
        return []

    def forms_for(self, obj, bound: ActionForm | None = None) -> list[ActionForm]:
        out = []
        for name, form_class in self.available_actions(obj).items():
            if bound is not None and bound.name == name:
                out.append(bound)
            else:
                out.append(form_class(name=name, initial={"version": getattr(obj, "version", None)}))
        return out

    def get(self, request, *args, **kwargs):
        obj = self.get_object()
        return self.render_to_response(self.context(obj, self.forms_for(obj)))

    def context(self, obj, action_forms):
        return self.get_context_data(object=obj, action_forms=action_forms, events=self.timeline(obj))

    def post(self, request, *args, **kwargs):
        obj = self.get_object()
        name = next((k.removesuffix("-action") for k in request.POST if k.endswith("-action")), "")
        form_class = self.available_actions(obj).get(name)
        if form_class is None:
            messages.error(request, "That change is not possible now: the record may have changed.")
            return self.render_to_response(self.context(obj, self.forms_for(obj)), status=409)
        form = form_class(request.POST, name=name)
        status = 400
        if form.is_valid():
            try:
                message = self.perform(name, obj, {k: v for k, v in form.cleaned_data.items() if k != "action"})
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
                status = error.status_code
            except PermissionDenied:
                raise
            else:
                messages.success(request, message)
                return redirect(request.path)
        return self.render_to_response(self.context(obj, self.forms_for(obj, bound=form)), status=status)


def timeline_items(events, *, title=lambda e: e.get_kind_display(), detail=lambda e: e.detail) -> list[dict]:
    """Event rows as MOJ timeline items (includes/timeline.html); `detail` says the stored detail in words."""
    return [
        {
            "title": title(e),
            "at": e.at,
            "actor": (e.actor.get_full_name() or e.actor.get_username()) if e.actor_id else "System",
            "description": " · ".join(x for x in (f"Dated {e.on:%-d %B %Y}", detail(e), e.reason) if x),
        }
        for e in events
    ]
