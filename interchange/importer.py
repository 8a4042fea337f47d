"""Import a history folder: every file read once, streamed, in dependency order (formats.FILES).

Each row is checked as it is read; new rows go to the owning app's bulk writer in batches, inside
one transaction that commits only if the whole folder checked clean (any problem, or any failure
of the database, rolls everything back: nothing is written). With `write=False` (a dry run, or the
administrator's check before confirming) nothing is sent to the database at all.

Rows already held are recognised by their reference (or, for calls, emails and CPD records, which
have none, by content and occurrence count): the same row is "unchanged", a different one is
"conflicting" and a bad row, never an overwrite.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from pathlib import Path

from django.db import transaction

from complaints import bulk as complaints_bulk
from education_qa import bulk as education_bulk
from fitness_to_practise import bulk as ftp_bulk
from registration import bulk as registration_bulk
from registration.models import Annotation
from regulator import bulk
from regulator.audit import audit_record

from . import formats, mapping, workflow
from .reader import Progress, Report, read_rows

BATCH = 10_000


class _RollBack(Exception):
    pass


def folder_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))


def total_bytes(folder: Path) -> int:
    return sum((folder / spec.name).stat().st_size for spec in formats.FILES if (folder / spec.name).exists())


def import_history(folder: Path, *, write: bool, progress: Progress | None = None, actor=None) -> Report:
    folder = Path(folder)
    importer = _Importer(folder, write=write, progress=progress)
    if not write:
        importer.run()
        return importer.report
    try:
        with transaction.atomic():
            bulk.lock_for_import(
                [*registration_bulk.TABLES, *ftp_bulk.TABLES, *education_bulk.TABLES, *complaints_bulk.TABLES]
            )
            importer.run()
            if not importer.report.ok:
                raise _RollBack
            audit_record(
                actor=actor,
                action="history.imported",
                object_type="interchange.folder",
                object_id=folder.name[:64],
                after={"counts": importer.report.counts},
            )
    except _RollBack:
        pass
    return importer.report


def _row_hash(values: tuple) -> int:
    return hash(values)


class _Importer:
    def __init__(self, folder: Path, *, write: bool, progress: Progress | None):
        self.folder, self.write, self.progress = folder, write, progress
        self.report = Report()
        self._entry_ids: dict[str, int] | None = None
        self._registrant_ids: dict[str, int] | None = None
        self.registrant_status: dict[str, tuple[int, str, str]] = {}  # number -> (line, status, register)
        self.new_refs: dict[str, set[str]] = defaultdict(set)  # file -> references written by this import
        self.known_refs: dict[str, set[str]] = defaultdict(set)  # file -> references in the file or held
        self.ids: dict[str, dict[str, int]] = defaultdict(dict)  # file -> reference -> new id

    # --- state of the database, read once per file that needs it ---

    @property
    def writing(self) -> bool:
        return self.write and self.report.ok

    def entry_ids(self) -> dict[str, int]:
        if self._entry_ids is None:
            self._entry_ids = registration_bulk.entry_ids()
        return self._entry_ids

    def registrant_ids(self) -> dict[str, int]:
        if self._registrant_ids is None:
            self._registrant_ids = registration_bulk.registrant_ids()
        return self._registrant_ids

    def held(self, file: str) -> dict[str, int]:
        return {key: _row_hash(row) for key, row in mapping.held_rows(file)}

    def held_groups(self, file: str) -> dict[str, tuple[int, int]]:
        """Per reference, an order-free hash of its rows (sum of row hashes) and how many."""
        groups: dict[str, list[int]] = {}
        for key, row in mapping.held_rows(file):
            group = groups.setdefault(key, [0, 0])
            group[0] = (group[0] + _row_hash(row)) & 0xFFFFFFFFFFFFFFFF
            group[1] += 1
        return {k: (v[0], v[1]) for k, v in groups.items()}

    def held_counts(self, file: str) -> Counter:
        return Counter(row for _, row in mapping.held_rows(file))

    def run(self) -> None:
        present = set(folder_files(self.folder))
        for name in sorted(present - set(formats.BY_NAME)):
            self.report.error(name, "-", "-", "not a file of the interchange format")
        for spec in formats.FILES:
            if spec.name in present:
                getattr(self, "_" + spec.name.removesuffix(".csv"))(spec)
        if self.writing:
            registration_bulk.analyse()

    def rows(self, spec):
        return read_rows(self.folder, spec, self.report, self.progress)

    def error(self, spec, line, column, reason) -> None:
        self.report.error(spec.name, line, column, reason)

    # --- referenced records: one row per reference ---

    def _referenced(self, spec, key_column: str, check, flush):
        """The shared walk of a file whose rows have a reference: duplicates, held rows, batches."""
        held = self.held(spec.name)
        seen: dict[str, int] = {}
        batch: list = []
        known = self.known_refs[spec.name]
        known.update(held)
        for row in self.rows(spec):
            key = row.values[key_column]
            if key is None:
                continue
            if key in seen:
                self.error(spec, row.line, key_column, f"{key} appears twice (first on line {seen[key]})")
                continue
            seen[key] = row.line
            known.add(key)
            if not row.ok:
                continue
            record = check(row)
            if record is None:
                continue
            values = tuple(row.values[c] for c in spec.names)
            if key in held:
                if held[key] == _row_hash(values):
                    self.report.count(spec.name, "unchanged")
                else:
                    self.report.count(spec.name, "conflicting")
                    self.error(spec, row.line, key_column, f"{key} is already held with different values")
                continue
            self.report.count(spec.name, "new")
            self.new_refs[spec.name].add(key)
            batch.append(record)
            if len(batch) >= BATCH:
                self._flush(spec, flush, batch)
                batch = []
        self._flush(spec, flush, batch)

    def _flush(self, spec, flush, batch) -> None:
        if batch and self.writing:
            ids = flush(batch)
            if ids:
                self.ids[spec.name].update(ids)

    def _number(self, spec, row, column="registration_number", *, required=True) -> str | None:
        """A registration number in this folder's registrants.csv or already on the register."""
        number = row.values[column]
        if number is None:
            return None
        if number in self.known_refs["registrants.csv"] or number in self.entry_ids():
            return number
        self.error(spec, row.line, column, f"{number} is neither in registrants.csv nor on the register")
        return None

    def _registrants(self, spec) -> None:
        def check(row):
            v = row.values
            self.registrant_status[v["registration_number"]] = (row.line, v["status"], v["register"])
            return registration_bulk.RegistrantRecord(
                v["registration_number"],
                v["given_name"],
                v["family_name"],
                v["town"],
                v["gender"] or "",
                v["nationality"] or "",
                v["date_of_birth"],
                v["route"],
                v["register"],
                v["status"],
                v["registered_on"],
                v["origin"],
            )

        self._referenced(spec, "registration_number", check, registration_bulk.registrants_write)
        new_ids = self.ids["registrants.csv"]
        if self._entry_ids is not None:
            self._entry_ids.update(new_ids)
        self._registrant_ids = None  # read again, with the new registrants, when next needed

    def _entry_id(self, number: str) -> int:
        """The entry of a number the checks found in the file or the database."""
        return self.ids["registrants.csv"].get(number) or self.entry_ids()[number]

    # --- events: many rows per reference, checked against the workflow once the file is read ---

    def _events(self, spec, parent_file: str, key_column: str, pack, walk, write_rows):
        """Events of records in `parent_file`: an unknown reference is a bad row; the events of a
        record this import creates are written; those of a record already held must be exactly the
        events held (else each is conflicting)."""
        held = self.held_groups(spec.name)
        parents_new = self.new_refs[parent_file]
        parents_known = self.known_refs[parent_file]
        packed: dict[str, list[int]] = defaultdict(list)
        incoming: dict[str, list[int]] = {}
        first_line: dict[str, int] = {}
        batch: list = []
        for row in self.rows(spec):
            key = row.values[key_column]
            if key is None:
                continue
            if key not in parents_known and key not in held:
                self.error(spec, row.line, key_column, f"{key} is not in {parent_file} nor already held")
                continue
            if not row.ok:
                continue
            p = pack(row)
            if p is None:
                continue
            values = tuple(row.values[c] for c in spec.names)
            first_line.setdefault(key, row.line)
            if key in parents_new or key not in held:
                packed[key].append(p)
                if key in parents_new:
                    batch.append((key, row))
                    if len(batch) >= BATCH:
                        if self.writing:
                            write_rows(batch)
                        batch = []
            else:
                group = incoming.setdefault(key, [0, 0])
                group[0] = (group[0] + _row_hash(values)) & 0xFFFFFFFFFFFFFFFF
                group[1] += 1
        if batch and self.writing:
            write_rows(batch)
        for key, (signature, n) in incoming.items():
            if held.get(key) == (signature, n):
                self.report.count(spec.name, "unchanged", n)
            else:
                self.report.count(spec.name, "conflicting", n)
                held_n = held.get(key, (0, 0))[1]
                self.error(
                    spec, first_line[key], key_column, f"the events of {key} differ from the {held_n} already held"
                )
        histories = {}
        for key, events in packed.items():
            if key not in parents_new:
                # Events for a record held without any: adding history to a held record is a conflict.
                self.report.count(spec.name, "conflicting", len(events))
                self.error(spec, first_line[key], key_column, f"{key} is already held; its events cannot be added to")
                continue
            history = walk(key, events)
            for line, column, reason in history.problems:
                self.error(spec, line, column, reason)
            self.report.count(spec.name, "new", len(events))
            histories[key] = history
        return histories

    def _register_events(self, spec) -> None:
        annotation_kinds = tuple(Annotation.Kind.values)
        reasons = formats.REMOVAL_REASONS

        def pack(row):
            v = row.values
            event, reason = v["event"], v["reason"]
            extra = 0
            if event.startswith("annotation"):
                if reason not in annotation_kinds:
                    self.error(spec, row.line, "reason", f"an annotation's type: one of {', '.join(annotation_kinds)}")
                    return None
                extra = annotation_kinds.index(reason)
            elif event == "removed":
                if reason not in reasons:
                    self.error(spec, row.line, "reason", f"a removal's reason: one of {', '.join(reasons)}")
                    return None
                extra = reasons.index(reason)
            elif reason:
                self.error(spec, row.line, "reason", f"{event} takes no reason")
                return None
            return workflow.pack(registration_bulk.midnight(v["on"]), workflow.REGISTER_RANK[event], row.line, extra)

        def write_rows(batch):
            records = []
            for number, row in batch:
                v = row.values
                event = v["event"]
                if event.startswith("annotation"):
                    continue  # annotations are written from the entry's history below
                if event == "temporary_ended":
                    kind, detail = "removed", "temporary_ended"
                elif event == "removed":
                    kind, detail = "removed", mapping.REMOVAL_REASON[v["reason"]]
                else:
                    kind, detail = mapping.REGISTER_KIND[event], ""
                records.append(registration_bulk.RegisterEventRecord(self._entry_id(number), kind, v["on"], detail))
            registration_bulk.register_events_write(records)

        removal_reasons = tuple(mapping.REMOVAL_REASON[r] for r in reasons)

        def initial_state(number):
            # Before the first dated event the entry was on the register its row names.
            return self.registrant_status.get(number, (None, "registered", "full"))[2]

        def walk(number, events):
            return workflow.entry_walk(events, annotation_kinds, removal_reasons, initial=initial_state(number))

        histories = self._events(
            spec,
            "registrants.csv",
            "registration_number",
            pack,
            lambda number, events: workflow.first_fit(events, lambda e: walk(number, e)),
            write_rows,
        )
        history_rows, annotations = [], []
        for number, h in histories.items():
            if h.problems:
                continue
            line, status, register = self.registrant_status.get(number, (None, None, None))
            expected = {
                "full": ("registered", "full"),
                "temporary": ("registered", "temporary"),
                "removed": ("removed", None),
            }.get(h.state)
            # The register (full or temporary) an entry is on is registrants.csv's: the product's own move
            # to the full register is not an event of the format, so only the status is compared.
            if expected and line and status != expected[0]:
                self.error(
                    formats.REGISTRANTS,
                    line,
                    "status",
                    f"{number} is {status} ({register}) but register_events.csv leaves it {h.state}",
                )
            if not self.writing:
                continue
            entry_id = self._entry_id(number)
            if h.changed_on:
                history_rows.append((entry_id, h.changed_on, h.removal_reason))
            for kind, starts_on, ends_on in h.annotations:
                annotations.append(
                    registration_bulk.AnnotationRecord(entry_id, annotation_kinds[kind], starts_on, ends_on)
                )
        if self.writing:
            registration_bulk.entries_set_history(history_rows)
            registration_bulk.annotations_write(annotations)

    # --- files without references: recognised by content and occurrence count ---

    def _counted(self, spec, check, flush):
        held = self.held_counts(spec.name)
        seen: Counter = Counter()
        batch = []
        for row in self.rows(spec):
            if not row.ok:
                continue
            record = check(row)
            if record is None:
                continue
            values = tuple(row.values[c] for c in spec.names)
            values = tuple(mapping.instant(v) if isinstance(v, dt.datetime) else v for v in values)
            seen[values] += 1
            if seen[values] <= held.get(values, 0):
                self.report.count(spec.name, "unchanged")
                continue
            self.report.count(spec.name, "new")
            batch.append(record)
            if len(batch) >= BATCH:
                if self.writing:
                    flush(batch)
                batch = []
        if batch and self.writing:
            flush(batch)

    def _cpd_records(self, spec) -> None:
        def check(row):
            v = row.values
            number = self._number(spec, row)
            if number is None:
                return None
            if v["activity_on"] > v["recorded_on"]:
                self.error(spec, row.line, "activity_on", "is after the day it was recorded")
                return None
            return (number, v)

        def flush(batch):
            ids = self.registrant_ids()
            registration_bulk.cpd_records_write(
                [
                    registration_bulk.CPDRecordValues(
                        ids[n], v["recorded_on"], v["activity_on"], v["type"], v["peer_reflection"]
                    )
                    for n, v in batch
                ]
            )

        self._counted(spec, check, flush)

    def _calls(self, spec) -> None:
        def check(row):
            v = row.values
            queued = v["outcome"] != "hung_up_before_queue"
            if queued and v["queue_seconds"] is None:
                self.error(spec, row.line, "queue_seconds", "required for a call that queued")
                return None
            if not queued and v["queue_seconds"]:
                self.error(spec, row.line, "queue_seconds", "must be 0 or empty for a call hung up before queueing")
                return None
            return registration_bulk.CallRecord(v["received_at"], v["queue_seconds"], v["outcome"])

        self._counted(spec, check, registration_bulk.calls_write)

    def _emails(self, spec) -> None:
        def check(row):
            v = row.values
            received, responded = v["received_at"], v["responded_at"]
            # Answered the day it came is answered that day, whatever the two clock times say.
            if responded and responded < received and workflow._local(responded) != workflow._local(received):
                self.error(spec, row.line, "responded_at", "is before received_at")
                return None
            return registration_bulk.EmailRecord(received, responded)

        self._counted(spec, check, registration_bulk.emails_write)

    # --- education QA ---

    def _providers(self, spec) -> None:
        def check(row):
            v = row.values
            return education_bulk.ProviderRecord(v["reference"], v["name"], v["town"])

        self._referenced(spec, "reference", check, education_bulk.providers_write)

    def _courses(self, spec) -> None:
        provider_ids = None

        def check(row):
            v = row.values
            if v["provider"] not in self.known_refs["providers.csv"] and v["provider"] not in self._held_keys(
                "providers.csv"
            ):
                self.error(spec, row.line, "provider", f"{v['provider']} is not in providers.csv nor already held")
                return None
            return v

        def flush(batch):
            nonlocal provider_ids
            if provider_ids is None:
                provider_ids = {ref: i for ref, _, _, i in education_bulk.providers_read()}
            return education_bulk.courses_write(
                [
                    education_bulk.CourseRecord(
                        v["reference"],
                        provider_ids[v["provider"]],
                        v["title"],
                        v["level"],
                        v["mode"],
                        mapping.COURSE_STATUS[v["status"]],
                    )
                    for v in batch
                ]
            )

        self._referenced(spec, "reference", check, flush)

    def _held_keys(self, file: str) -> set[str]:
        cache = self.__dict__.setdefault("_held_key_cache", {})
        if file not in cache:
            cache[file] = {key for key, _ in mapping.held_rows(file)}
        return cache[file]

    def _course_events(self, spec) -> None:
        ranks = {name: i for i, name in enumerate(formats.COURSE_EVENTS)}
        courses = None

        def pack(row):
            v = row.values
            return workflow.pack(registration_bulk.midnight(v["on"]), ranks[v["event"]], row.line)

        def write_rows(batch):
            nonlocal courses
            if courses is None:
                courses = {ref: (i, p) for ref, p_ref, *_, i in education_bulk.courses_read() for p in [p_ref]}
                providers = {ref: i for ref, _, _, i in education_bulk.providers_read()}
                courses = {ref: (i, providers[p]) for ref, (i, p) in courses.items()}
            education_bulk.course_events_write(
                [
                    education_bulk.CourseEventRecord(
                        courses[ref][0],
                        courses[ref][1],
                        mapping.COURSE_EVENT[row.values["event"]],
                        row.values["on"],
                        row.values["detail"] or "",
                    )
                    for ref, row in batch
                ]
            )

        def walk(events):
            return workflow.ApplicationHistory()  # course histories are kept as they come (decision 0703)

        self._events(spec, "courses.csv", "reference", pack, lambda ref, e: walk(e), write_rows)

    # --- applications ---

    def _applications(self, spec) -> None:
        self.application_kinds: dict[str, tuple[int, str, str | None]] = {}

        def check(row):
            v = row.values
            number = v["registration_number"]
            if number is not None and self._number(spec, row) is None:
                return None
            self.application_kinds[v["reference"]] = (row.line, v["kind"], number)
            return v

        def flush(batch):
            people = self.registrant_ids()
            return registration_bulk.applications_write(
                [
                    registration_bulk.ApplicationRecord(
                        v["reference"],
                        v["kind"],
                        v["route"],
                        v["registration_number"] or "",
                        people.get(v["registration_number"]) if v["registration_number"] else None,
                        v["given_name"],
                        v["family_name"],
                        v["investigation_required"],
                        v["origin"],
                    )
                    for v in batch
                ]
            )

        self._referenced(spec, "reference", check, flush)

    def _application_events(self, spec) -> None:
        events = workflow.APPLICATION_EVENTS

        def pack(row):
            v = row.values
            return workflow.pack(v["at"], workflow.APPLICATION_RANK[v["event"]], row.line, events.index(v["event"]))

        def write_rows(batch):
            ids = self.ids["applications.csv"]
            registration_bulk.application_events_write(
                [
                    registration_bulk.ApplicationEventRecord(ids[ref], row.values["event"], row.values["at"])
                    for ref, row in batch
                ]
            )

        histories = self._events(
            spec,
            "applications.csv",
            "reference",
            pack,
            lambda ref, e: workflow.first_fit(e, workflow.application_walk),
            write_rows,
        )
        rows = []
        for reference, h in histories.items():
            if h.problems:
                continue
            line, kind, number = self.application_kinds.get(reference, (None, None, None))
            if kind == "new" and h.status == "approved" and not number:
                self.error(
                    formats.APPLICATIONS, line, "registration_number", "an approved application names the entry it made"
                )
            if kind == "new" and h.status != "approved" and number:
                self.error(
                    formats.APPLICATIONS, line, "registration_number", "only an approved new application has one"
                )
            if self.writing:
                rows.append((self.ids["applications.csv"][reference], h.status, h.received_at, h.decided_at))
        if self.writing:
            registration_bulk.applications_set_state(rows)

    # --- fitness to practise ---

    def _cases(self, spec) -> None:
        self.case_rows: dict[str, tuple[int, str, str | None, str]] = {}

        def check(row):
            v = row.values
            number = v["registration_number"]
            if number is not None and self._number(spec, row) is None:
                return None
            self.case_rows[v["reference"]] = (row.line, v["origin"], number, v["referrer"])
            return v

        # Cases are written once their events say where they stand (in _case_events).
        self._referenced(spec, "reference", check, lambda batch: None)

    def _case_events(self, spec) -> None:
        ranks = workflow.CASE_RANK
        pending: list = []

        def pack(row):
            v = row.values
            extra = workflow.pack_detail(v["detail"]) if v["event"] in mapping._DETAILED else 0
            if extra is None:
                self.error(
                    spec,
                    row.line,
                    "detail",
                    "the order made: none, advice, warning, conditions, suspension or removal, optionally :months",
                )
                return None
            return workflow.pack(v["at"], ranks[v["event"]], row.line, extra)

        def write_rows(batch):
            pending.extend((ref, row.values["event"], row.values["at"], row.values["detail"]) for ref, row in batch)

        histories = self._events(
            spec, "cases.csv", "reference", pack, lambda ref, e: workflow.first_fit(e, workflow.case_walk), write_rows
        )
        self._write_cases(histories, pending)

    def _write_cases(self, histories, events) -> None:
        """Each new case at the stage its last event puts it in, with its orders; a case whose social
        worker is not identified is a concern awaiting pre-triage."""
        cases, concerns, orders = [], [], []
        for reference in self.new_refs["cases.csv"]:
            line, origin, number, referrer = self.case_rows[reference]
            h = histories.get(reference)
            if h is None or h.problems:
                if h is None:
                    self.error(formats.CASES, line, "reference", f"{reference} has no events in case_events.csv")
                continue
            if number is None:
                if h.state != "concern":
                    self.error(
                        formats.CASES, line, "registration_number", "a case past pre-triage names its social worker"
                    )
                    continue
                concerns.append(ftp_bulk.ConcernRecord(reference, origin, h.concern_at, referrer))
                continue
            if h.state == "concern":
                self.error(
                    formats.CASES,
                    line,
                    "registration_number",
                    "a case with a social worker needs its social_worker_identified event",
                )
                continue
            cases.append((reference, number, origin, referrer, h))
        if not self.writing:
            return
        ftp_bulk.concerns_write(concerns)
        records = []
        for reference, number, origin, referrer, h in cases:
            records.append(
                ftp_bulk.CaseRecord(
                    reference,
                    origin,
                    self._entry_id(number),
                    referrer,
                    "closed" if h.state == "closed" else h.state,
                    h.interim,
                    h.opened_at,
                    h.stage_started_at or h.opened_at,
                    h.interim_need_at if h.interim == "need_identified" else None,
                    h.closed_at if h.state == "closed" else None,
                )
            )
        ids = ftp_bulk.cases_write(records)
        for reference, number, _, _, h in cases:
            for o in h.orders:
                orders.append(
                    ftp_bulk.OrderRecord(
                        ids[reference],
                        self._entry_id(number),
                        o.sanction,
                        o.months,
                        o.interim,
                        o.made_by,
                        o.at,
                        workflow._local(o.at),
                        o.ended_on,
                    )
                )
        ftp_bulk.orders_write(orders)
        for start in range(0, len(events), BATCH):
            ftp_bulk.case_events_write(
                [
                    ftp_bulk.CaseEventRecord(ids[ref], kind, at, detail or "")
                    for ref, kind, at, detail in events[start : start + BATCH]
                    if ref in ids
                ]
            )

    # --- complaints ---

    def _complaints(self, spec) -> None:
        def check(row):
            v = row.values
            if (
                v["closed_at"]
                and v["closed_at"] < v["received_at"]
                and workflow._local(v["closed_at"]) != workflow._local(v["received_at"])
            ):
                self.error(spec, row.line, "closed_at", "is before received_at")
                return None
            return complaints_bulk.ComplaintRecord(v["reference"], v["received_at"], v["closed_at"])

        self._referenced(spec, "reference", check, complaints_bulk.complaints_write)


def import_file(name: str, text: str, *, actor=None) -> Report:
    """One file of the format given as text (an officer's upload of calls.csv or emails.csv): the
    same reader, checks and writers as a whole folder."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="interchange-") as directory:
        (Path(directory) / name).write_text(text, encoding="utf-8")
        return import_history(Path(directory), write=True, actor=actor)
