"""Reads of the register, done in the database. The public search lives here."""

from __future__ import annotations

import datetime as dt
import re
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, connections, router
from django.db.models import Case, ExpressionWrapper, F, FloatField, Prefetch, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.utils import timezone

from education_qa.selectors import approved_courses_on
from fitness_to_practise.models import Order

from .models import Annotation, NameToken, RegisterEntry
from .text import name_words, normalise

MAX_QUERY_LENGTH = 100
MAX_NAME_WORDS = 5
# How many vocabulary names each query word may stand for, and how alike they must be (pg_trgm).
CANDIDATES_PER_WORD = 12
MIN_SIMILARITY = 0.25
EMPLOYER_CHECK_LIMIT = 100

_NUMBER = re.compile(r"^\s*(sw)?\s*-?\s*(\d{1,9})\s*$", re.IGNORECASE)
_LOOKS_LIKE_NUMBER = re.compile(r"^\s*(sw\s*\d|\d)", re.IGNORECASE)


class SearchError(ValueError):
    """The search terms cannot be searched; `field` and `message` say why."""

    def __init__(self, field_name: str, message: str):
        super().__init__(message)
        self.field = field_name
        self.message = message


@dataclass
class ParsedSearch:
    kind: str  # "name", "number" or "town"
    number: str = ""
    words: list[str] = field(default_factory=list)
    town: str = ""


def parse_registration_number(text: str) -> str | None:
    """'sw 12345', 'SW12345' and '12345' are all SW12345; anything else is None."""
    match = _NUMBER.match(text or "")
    return f"SW{match.group(2)}" if match else None


def parse_search(q: str = "", town: str = "") -> ParsedSearch:
    q, town = (q or "").strip(), (town or "").strip()
    if len(q) > MAX_QUERY_LENGTH:
        raise SearchError("q", f"Search terms must be {MAX_QUERY_LENGTH} characters or fewer")
    if len(town) > MAX_QUERY_LENGTH:
        raise SearchError("town", f"The town must be {MAX_QUERY_LENGTH} characters or fewer")
    town_key = normalise(town)
    if town and not town_key:
        raise SearchError("town", "Enter a town using letters")
    if q and _LOOKS_LIKE_NUMBER.match(q):
        number = parse_registration_number(q)
        if number is None:
            raise SearchError("q", "Enter a registration number as SW followed by digits, for example SW123456")
        return ParsedSearch(kind="number", number=number, town=town_key)
    words = name_words(q)[:MAX_NAME_WORDS]
    if q and not words:
        raise SearchError("q", "Enter a name using letters, or a registration number")
    if not words and not town_key:
        raise SearchError("q", "Enter a name, registration number or town")
    if not words:
        return ParsedSearch(kind="town", town=town_key)
    return ParsedSearch(kind="name", words=words, town=town_key)


def public_entries() -> QuerySet[RegisterEntry]:
    """Register entries with what the public page shows, in a constant number of queries."""
    today = timezone.localdate()
    in_force = Annotation.objects.filter(starts_on__lte=today).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
    return (
        RegisterEntry.objects.select_related("registrant")
        .only(
            "registration_number",
            "register",
            "status",
            "removal_reason",
            "route",
            "qualification",
            "registered_on",
            "registered_until",
            "status_changed_on",
            "temporary_until",
            "town",
            "search_family",
            "search_given",
            "registrant__given_name",
            "registrant__family_name",
        )
        .prefetch_related(
            Prefetch("annotations", queryset=in_force, to_attr="annotations_in_force"),
            # Fitness to practise orders in force today: public (regulation 9) while in force only.
            Prefetch(
                "ftp_orders",
                queryset=Order.objects.in_force(today).only("entry_id", "kind", "starts_on", "ends_on"),
                to_attr="orders_in_force",
            ),
        )
    )


# Each word's nearest vocabulary names, kept per process for a few minutes: the vocabulary changes
# slowly and the same names are searched again and again. The word itself is always a candidate
# (similarity 1), so a name added a moment ago is found exactly at once; only its misspellings can
# lag by up to NEIGHBOURS_TTL seconds.
NEIGHBOURS_TTL = 300.0
NEIGHBOURS_CACHE_SIZE = 50_000
_neighbours: dict[str, tuple[float, dict[str, float]]] = {}


def vocabulary_in_memory() -> bool:
    """Whether misspellings are corrected against the vocabulary in memory (registration.name_vocabulary)
    rather than pg_trgm: on any database but PostgreSQL, or when the setting asks (tests compare both)."""
    chosen = getattr(settings, "REGISTER_NAME_VOCABULARY_IN_MEMORY", None)
    return connection.vendor != "postgresql" if chosen is None else bool(chosen)


def _nearest_names(words: list[str]) -> dict[str, dict[str, float]]:
    """For each word, the vocabulary names within MIN_SIMILARITY (nearest first), from the cache
    or in one query for all the words that are not cached."""
    now = time.monotonic()
    found, missing = {}, []
    for word in words:
        cached = _neighbours.get(word)
        if cached and now - cached[0] < NEIGHBOURS_TTL:
            found[word] = cached[1]
        else:
            missing.append(word)
    if missing and vocabulary_in_memory():
        from .name_vocabulary import nearest_names

        for word in missing:
            found[word] = _neighbours.setdefault(
                word, (now, nearest_names(word, limit=CANDIDATES_PER_WORD, min_similarity=MIN_SIMILARITY))
            )[1]
        missing = []
    if missing:
        sql = """
            SELECT w.word, t.token, similarity(t.token, w.word) AS sim
            FROM unnest(%s::text[]) AS w(word)
            CROSS JOIN LATERAL (
                SELECT token FROM registration_nametoken ORDER BY token <-> w.word LIMIT %s
            ) AS t
        """
        fresh: dict[str, dict[str, float]] = {word: {} for word in missing}
        # Raw SQL bypasses the routers: ask them, so the public register reads the replica when there is one.
        with connections[router.db_for_read(NameToken)].cursor() as cursor:
            cursor.execute(sql, [missing, CANDIDATES_PER_WORD])
            for word, token, similarity in cursor.fetchall():
                if similarity >= MIN_SIMILARITY or (len(word) >= 2 and token.startswith(word)):
                    fresh[word][token] = float(similarity)
        if len(_neighbours) > NEIGHBOURS_CACHE_SIZE:
            _neighbours.clear()
        for word, names in fresh.items():
            _neighbours[word] = (now, names)
        found.update(fresh)
    return found


def _candidate_names(words: list[str]) -> dict[str, float]:
    """Vocabulary names like any query word, with their best trigram similarity."""
    best: dict[str, float] = dict.fromkeys(words, 1.0)
    for names in _nearest_names(words).values():
        for token, similarity in names.items():
            best[token] = max(best.get(token, 0.0), similarity)
    return best


# How alike an entry's names are to the query: each column's similarity looked up in the candidate
# arrays. Two array parameters compile in microseconds, where a CASE of one WHEN per candidate name
# cost the ORM milliseconds per search.
_MATCH_SQL = (
    "COALESCE((%s::float8[])[array_position(%s::text[], registration_registerentry.search_family::text)], 0)"
    " + COALESCE((%s::float8[])[array_position(%s::text[], registration_registerentry.search_given::text)], 0)"
)


def _match(candidates: dict[str, float]) -> RawSQL:
    names, similarities = list(candidates), list(candidates.values())
    # A constant statement; the names and similarities are bound parameters, never formatted in.
    return RawSQL(_MATCH_SQL, [similarities, names, similarities, names], output_field=FloatField())  # noqa: S611  # nosec B611


def _match_portable(candidates: dict[str, float]):
    """_match for the embedded SQLite default (no arrays): a CASE per column over the few candidates."""

    def column(name: str):
        whens = [When(**{name: token}, then=Value(similarity)) for token, similarity in candidates.items()]
        return Case(*whens, default=Value(0.0), output_field=FloatField())

    return ExpressionWrapper(column("search_family") + column("search_given"), output_field=FloatField())


def register_search(parsed: ParsedSearch) -> QuerySet[RegisterEntry]:
    """Entries matching the search, best match first. Names: any order, accents and case ignored,
    misspellings tolerated (trigram similarity against the name vocabulary: pg_trgm on PostgreSQL,
    the same measure over the vocabulary in memory on SQLite, registration.name_vocabulary)."""
    entries = public_entries()
    if parsed.town:
        entries = entries.filter(search_town=parsed.town)
    if parsed.kind == "number":
        return entries.filter(registration_number=parsed.number).order_by("registration_number")
    if parsed.kind == "town":
        return entries.order_by("search_family", "search_given", "registration_number")
    candidates = _candidate_names(parsed.words)
    if not candidates:
        return entries.none()
    names = list(candidates)
    if len(parsed.words) == 1:
        entries = entries.filter(Q(search_family__in=names) | Q(search_given__in=names))
    else:
        entries = entries.filter(search_family__in=names, search_given__in=names)
    return entries.annotate(
        match=_match(candidates) if connection.vendor == "postgresql" else _match_portable(candidates)
    ).order_by(F("match").desc(), "search_family", "search_given", "registration_number")


def register_entries_by_numbers(numbers: list[str]) -> dict[str, RegisterEntry]:
    """The employer check: the entries for up to 100 numbers, by number, in constant queries."""
    found = public_entries().filter(registration_number__in=numbers)
    return {entry.registration_number: entry for entry in found}


def register_entry_public(number: str) -> RegisterEntry | None:
    """One entry with, besides what every public read has, the ended orders its published history
    keeps (registration.register_status.published_history; docs/register-publication.md)."""
    from .register_status import ENDED_ORDER_PUBLISHED_YEARS, NOT_KEPT_AFTER_ENDING, published_history

    today = timezone.localdate()
    ended = (
        Order.objects.filter(
            ends_on__lte=today, ends_on__gt=today - dt.timedelta(days=366 * ENDED_ORDER_PUBLISHED_YEARS)
        )
        .exclude(kind__in=NOT_KEPT_AFTER_ENDING)
        .only("entry_id", "kind", "starts_on", "ends_on")
    )
    entry = (
        public_entries()
        .prefetch_related(Prefetch("ftp_orders", queryset=ended, to_attr="orders_ended"))
        .filter(registration_number=number)
        .first()
    )
    if entry is not None:
        entry.published_history = published_history(entry.orders_ended, today=today)  # type: ignore[attr-defined]
    return entry


# --- Registration work: the officer's queue, the registrant's own record ---


class ApplicationQueue:
    """The officer's queue as a lazy sequence a Paginator can page, in constant queries.

    Filters that are columns run in the database (the FilterSet). The service-standard clock is
    derived from events (registration.clocks): for a page it is one bulk query for the page's rows;
    to filter by overdue or sort by due date or age, one pass computes the clocks of every
    application the other filters left (two queries), then the page's rows are fetched by id.
    """

    SORTS = {
        "received": "received_at",
        "-received": "-received_at",
        "due": None,
        "-due": None,
        "age": None,
        "-age": None,
        "timer": "timer_due_on",  # with the `timer` filter: its kept timer's due date, most urgent first
    }

    def __init__(self, queryset, *, today=None, overdue: bool | None = None, sort: str = "received"):
        self.queryset = queryset.select_related("registrant", "assigned_to")
        self.today = today or timezone.localdate()
        self.overdue = overdue
        self.sort = sort if sort in self.SORTS else "received"
        if self.sort == "timer" and "timer_due_on" not in queryset.query.annotations:
            self.sort = "received"
        self._ids: list[int] | None = None
        self._clocks: dict = {}

    @property
    def needs_clock_pass(self) -> bool:
        return self.overdue is not None or self.SORTS[self.sort] is None

    def _ordered_ids(self) -> list[int]:
        if self._ids is None:
            from .clocks import application_clocks

            ids = list(self.queryset.order_by("received_at", "id").values_list("id", flat=True))
            self._clocks = application_clocks(ids, today=self.today)
            if self.overdue is not None:
                ids = [i for i in ids if self._clocks[i].overdue == self.overdue]
            if self.sort.lstrip("-") == "due":
                ids.sort(key=lambda i: (self._clocks[i].due_on or dt.date.max, i), reverse=self.sort.startswith("-"))
            elif self.sort.lstrip("-") == "age":
                ids.sort(key=lambda i: (self._clocks[i].age_working_days or 0, i), reverse=self.sort.startswith("-"))
            self._ids = ids
        return self._ids

    def count(self) -> int:
        return len(self._ordered_ids()) if self.needs_clock_pass else self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        from .clocks import application_clocks

        if not isinstance(index, slice):
            return self[index : index + 1][0]
        if self.needs_clock_pass:
            page_ids = self._ordered_ids()[index]
            rows = {a.pk: a for a in self.queryset.filter(pk__in=page_ids)}
            result = [rows[i] for i in page_ids if i in rows]
            clocks = self._clocks
        else:
            result = list(self.queryset.order_by(self.SORTS[self.sort], "id")[index])
            clocks = application_clocks([a.pk for a in result], today=self.today)
        for application in result:
            application.clock = clocks.get(application.pk)
        return result


def applications_for_queue():
    from .models import Application, ApplicationStatus

    return Application.objects.exclude(status=ApplicationStatus.DRAFT)


def application_with_clock(application, *, today=None):
    from .clocks import application_clock

    pairs = application.events.values_list("event", "at")
    application.clock = application_clock(list(pairs), today=today, kind=application.kind)
    return application


def registrant_for_user(user):
    """The signed-in person's own Registrant record (None for staff without one)."""
    from .models import Registrant

    if not user.is_authenticated:
        return None
    return Registrant.objects.select_related("register_entry").filter(user=user).first()


def course_was_approved_on(*, course_id: int, on: dt.date) -> bool:
    """Whether the course was approved (with or without conditions) on `on`, from its event history:
    the rule for the course a UK graduate who qualified that day may name."""
    return approved_courses_on(on).filter(pk=course_id).exists()


def application_course_check(application) -> dict | None:
    """What the officer sees about a UK graduate's chosen course: the course, its provider, and
    whether it was approved on the qualification date (None when that date is not given)."""
    course = application.approved_course
    if course is None:
        return None
    on = application.qualified_on
    return {
        "id": course.pk,
        "name": f"{course.name} ({course.get_mode_display()})",
        "provider": course.provider.name,
        "approved_on_qualification": course_was_approved_on(course_id=course.pk, on=on) if on else None,
    }


# --- The end of the renewal window ---


@dataclass(frozen=True)
class RenewalWindowPreview:
    """What the end-of-window removal would do now: which window, how many, and who (docs/renewal-rule.md)."""

    window: object  # clocks.RenewalWindow: the window that closed last
    current: object  # clocks.RenewalWindow: the window of the registration year in progress
    count: int
    confirmation: str  # what the officer types to confirm

    def entries(self) -> QuerySet[RegisterEntry]:
        from .services import must_renew_q

        return (
            RegisterEntry.objects.filter(must_renew_q(self.window.year_ends))  # type: ignore[attr-defined]
            .select_related("registrant")
            .order_by("registration_number")
        )


def renewal_window_preview(*, now: dt.datetime | None = None) -> RenewalWindowPreview:
    from . import clocks
    from .services import must_renew_q, renewal_window_confirmation_words, renewal_window_to_close

    now = now or timezone.now()
    window = renewal_window_to_close(now=now)
    count = RegisterEntry.objects.filter(must_renew_q(window.year_ends)).count()
    return RenewalWindowPreview(
        window=window,
        current=clocks.renewal_window(timezone.localdate(now)),
        count=count,
        confirmation=renewal_window_confirmation_words(count),
    )
