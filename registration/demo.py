"""A realistic synthetic register, in proportions like the regulator's own (the first seed):
about nine in ten transferred from the HCPC with no qualification route recorded, one in ten on
the temporary register, a few in a hundred removed, a few annotated as AMHP or BIA.

Fast enough for 1,000,000 registrants: rows are generated column-wise and written with COPY on
PostgreSQL (bulk_create elsewhere), with a progress bar per table.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator

from django.db import connection, transaction
from django.utils import timezone
from faker.providers.person.en_GB import Provider as GB
from faker.providers.person.en_IE import Provider as IE
from faker.providers.person.en_IN import Provider as IN
from faker.providers.person.en_NG import Provider as NG
from faker.providers.person.fr_FR import Provider as FR
from faker.providers.person.pl_PL import Provider as PL
from faker.providers.person.ro_RO import Provider as RO
from tqdm import tqdm

from regulator.demo import DemoContext, demo_user
from regulator.roles import Role

from .models import Annotation, NameToken, RegisterEntry, RegisterEvent, Registrant
from .services import registration_numbers_reserve_above, search_keys, temporary_registrations_end

CHUNK = 50_000
# Towns in England where social workers work, weighted roughly by population.
TOWNS = {
    "London": 160,
    "Birmingham": 22,
    "Manchester": 16,
    "Leeds": 15,
    "Sheffield": 11,
    "Bristol": 9,
    "Liverpool": 10,
    "Newcastle upon Tyne": 6,
    "Nottingham": 7,
    "Leicester": 7,
    "Coventry": 7,
    "Bradford": 7,
    "Hull": 5,
    "Stoke-on-Trent": 5,
    "Wolverhampton": 5,
    "Plymouth": 5,
    "Derby": 5,
    "Southampton": 5,
    "Portsmouth": 4,
    "Reading": 4,
    "Northampton": 4,
    "Luton": 4,
    "Sunderland": 4,
    "Milton Keynes": 4,
    "Norwich": 3,
    "Brighton": 5,
    "Bournemouth": 4,
    "Swindon": 4,
    "Oxford": 3,
    "Cambridge": 3,
    "Ipswich": 3,
    "York": 3,
    "Gloucester": 2,
    "Exeter": 3,
    "Peterborough": 3,
    "Preston": 3,
    "Blackpool": 2,
    "Bolton": 3,
    "Wigan": 3,
    "Warrington": 3,
    "Middlesbrough": 3,
    "Huddersfield": 3,
    "Doncaster": 3,
    "Rotherham": 3,
    "Chelmsford": 3,
    "Colchester": 2,
    "Maidstone": 3,
    "Canterbury": 2,
    "Basingstoke": 2,
    "Worcester": 2,
    "Telford": 2,
    "Carlisle": 2,
    "Lincoln": 2,
    "Taunton": 2,
    "Truro": 2,
    "Chester": 2,
    "Durham": 2,
    "Darlington": 2,
    "Harrogate": 1,
    "Bath": 2,
    "Salisbury": 1,
    "Winchester": 2,
    "Guildford": 2,
    "Crawley": 2,
    "Slough": 2,
    "Watford": 2,
    "St Albans": 1,
    "Hertford": 1,
    "Bedford": 2,
    "Kendal": 1,
    "Barnstaple": 1,
    "Scarborough": 1,
    "Stockport": 3,
    "Oldham": 2,
    "Rochdale": 2,
    "Salford": 3,
    "Wakefield": 3,
    "Barnsley": 2,
    "Gateshead": 2,
    "South Shields": 1,
    "Hartlepool": 1,
    "Grimsby": 1,
    "Mansfield": 2,
    "Chesterfield": 2,
}
NATIONALITIES = {
    "British": 850,
    "Irish": 20,
    "Zimbabwean": 18,
    "Nigerian": 16,
    "South African": 14,
    "Indian": 12,
    "Romanian": 9,
    "American": 7,
    "Australian": 7,
    "Polish": 6,
    "Ghanaian": 6,
    "Canadian": 5,
    "Portuguese": 4,
    "Spanish": 4,
    "Kenyan": 4,
    "New Zealander": 4,
    "Italian": 3,
    "French": 3,
}
# Name pools and their weights: mostly British names, with the register's international mix
# (including accented names, which the search must match without the accents).
NAME_POOLS = [(GB, 70), (IE, 6), (IN, 7), (NG, 7), (PL, 4), (RO, 3), (FR, 3)]
ROUTES = {"not_recorded": 900, "uk": 70, "overseas": 22, "eea": 7, "swiss": 1}
QUALIFICATIONS = {
    "uk": ["BA (Hons) Social Work", "MA Social Work", "BSc (Hons) Social Work", "PG Dip Social Work"],
    "overseas": ["Bachelor of Social Work (overseas)", "Master of Social Work (overseas)"],
    "eea": ["Social work degree (EEA)"],
    "swiss": ["Social work degree (Switzerland)"],
    "not_recorded": [""],
}


def _names(pool, gender: str) -> list[str]:
    source = pool.first_names_female if gender == "female" else pool.first_names_male
    return list(source.keys() if isinstance(source, dict) else source)


def _last(pool) -> list[str]:
    return list(pool.last_names.keys() if isinstance(pool.last_names, dict) else pool.last_names)


def _weighted(rng: random.Random, table: dict, k: int) -> list:
    return rng.choices(list(table), weights=list(table.values()), k=k)


def generate(n: int, rng: random.Random, first_number: int, today: dt.date) -> Iterator[dict]:
    """Registrant and entry values for n people, one dict each."""
    pools = [p for p, _ in NAME_POOLS]
    pool_weights = [w for _, w in NAME_POOLS]
    female, male = {p: _names(p, "female") for p in pools}, {p: _names(p, "male") for p in pools}
    families = {p: _last(p) for p in pools}
    towns, routes, nationalities = _weighted(rng, TOWNS, n), _weighted(rng, ROUTES, n), _weighted(rng, NATIONALITIES, n)
    for i in range(n):
        pool = rng.choices(pools, pool_weights)[0]
        gender = "female" if rng.random() < 0.82 else ("male" if rng.random() < 0.97 else "other")
        given = rng.choice(female[pool] if gender == "female" else male[pool])
        family = rng.choice(families[pool])
        route = routes[i]
        origin = "hcpc" if route == "not_recorded" else "swe"
        if origin == "hcpc":
            registered_on = dt.date(2019, 12, 2) - dt.timedelta(days=rng.randrange(0, 365 * 25))
        else:
            registered_on = dt.date(2019, 12, 2) + dt.timedelta(
                days=rng.randrange(0, (today - dt.date(2019, 12, 2)).days)
            )
        roll = rng.random()
        status, register, removal_reason, changed, temporary_until = "registered", "full", "", registered_on, None
        if roll < 0.05:
            status, removal_reason = "removed", rng.choice(["failure_to_renew"] * 6 + ["voluntary"] * 3 + ["order"])
            changed = max(registered_on, dt.date(2020, 12, 1)) + dt.timedelta(days=rng.randrange(0, 300))
            changed = min(changed, today)  # removed by today, never in the future, whatever day the demo is made
        elif roll < 0.15:
            register, changed = "temporary", dt.date(2020, 3, 26) + dt.timedelta(days=rng.randrange(0, 400))
            temporary_until = dt.date(2022, 3, 24)
            registered_on = min(registered_on, changed)  # on the register before its temporary spell ended
        birth = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 50))
        yield {
            "given_name": given,
            "family_name": family,
            "gender": gender,
            "nationality": nationalities[i],
            "date_of_birth": birth,
            "town": towns[i],
            "route": route,
            "origin": origin,
            "registration_number": f"SW{first_number + i}",
            "registered_on": registered_on,
            "status": status,
            "register": register,
            "removal_reason": removal_reason,
            "status_changed_on": changed,
            "temporary_until": temporary_until,
            "qualification": rng.choice(QUALIFICATIONS[route]),
            "registered_until": dt.date(today.year if today.month < 12 else today.year + 1, 11, 30),
        }


def _next_ids(model) -> int:
    last = model.objects.order_by("-pk").values_list("pk", flat=True).first()
    return (last or 0) + 1


def _first_free_number() -> int:
    numbers = RegisterEntry.objects.values_list("registration_number", flat=True)
    highest = max((int(n[2:]) for n in numbers.order_by("-id")[:1000] if n[2:].isdigit()), default=0)
    return max(highest + 1, 10001)


def load_register(n: int, rng: random.Random, *, progress: bool = True) -> dict[str, int]:
    """Write n registrants with their entries, events and annotations. Returns counts per table."""
    now = timezone.now()
    today = timezone.localdate()
    first_number = _first_free_number()
    registrant_id, entry_id = _next_ids(Registrant), _next_ids(RegisterEntry)
    registrants, entries, events, annotations, tokens = [], [], [], [], set()
    bar = tqdm(total=n, desc="Generating registrants", unit="", disable=not progress, mininterval=0.5)
    for i, person in enumerate(generate(n, rng, first_number, today)):
        rid, eid = registrant_id + i, entry_id + i
        keys = search_keys(given_name=person["given_name"], family_name=person["family_name"], town=person["town"])
        tokens.add(keys["search_given"])
        tokens.add(keys["search_family"])
        registrants.append(
            (
                rid,
                None,
                person["given_name"],
                person["family_name"],
                person["date_of_birth"],
                person["gender"],
                person["nationality"],
                "",
                "",
                now,
            )
        )
        entries.append(
            (
                eid,
                rid,
                person["registration_number"],
                person["register"],
                person["status"],
                person["removal_reason"],
                person["route"],
                person["qualification"],
                person["registered_on"],
                person["registered_until"],
                person["status_changed_on"],
                person["temporary_until"],
                person["town"],
                person["origin"],
                keys["search_given"],
                keys["search_family"],
                keys["search_town"],
                1,
            )
        )
        first_kind = "imported" if person["origin"] == "hcpc" else "registered"
        events.append((eid, first_kind, person["registered_on"], now, None, "", ""))
        if person["status"] == "removed":
            events.append((eid, "removed", person["status_changed_on"], now, None, "", person["removal_reason"]))
        elif person["register"] == "temporary":
            events.append(
                (
                    eid,
                    "moved_to_temporary",
                    person["status_changed_on"],
                    now,
                    None,
                    "Emergency powers (Coronavirus Act 2020)",
                    "",
                )
            )
        roll = rng.random()
        if roll < 0.04:
            annotations.append((eid, "amhp", person["registered_on"] + dt.timedelta(days=rng.randrange(0, 2000)), None))
        elif roll < 0.07:
            annotations.append((eid, "bia", person["registered_on"] + dt.timedelta(days=rng.randrange(0, 2000)), None))
        if i % 10_000 == 0:
            bar.update(min(10_000, n - i))
    bar.close()
    with transaction.atomic():
        _write(
            "registration_registrant",
            [
                "id",
                "user_id",
                "given_name",
                "family_name",
                "date_of_birth",
                "gender",
                "nationality",
                "email",
                "home_address",
                "created_at",
            ],
            registrants,
            Registrant,
            progress,
        )
        _write(
            "registration_registerentry",
            [
                "id",
                "registrant_id",
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
                "origin",
                "search_given",
                "search_family",
                "search_town",
                "version",
            ],
            entries,
            RegisterEntry,
            progress,
        )
        _write(
            "registration_registerevent",
            ["entry_id", "kind", "on", "at", "actor_id", "reason", "detail"],
            events,
            RegisterEvent,
            progress,
        )
        _write(
            "registration_annotation", ["entry_id", "kind", "starts_on", "ends_on"], annotations, Annotation, progress
        )
        NameToken.objects.bulk_create([NameToken(token=t) for t in tokens if t], ignore_conflicts=True, batch_size=5000)
        _reset_sequences([Registrant, RegisterEntry, RegisterEvent, Annotation])
        registration_numbers_reserve_above(first_number + n)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE registration_registrant, registration_registerentry, registration_nametoken")
    return {
        "registrants": len(registrants),
        "events": len(events),
        "annotations": len(annotations),
        "names": len(tokens),
    }


def _write(table: str, columns: list[str], rows: list[tuple], model, progress: bool) -> None:
    bar = tqdm(total=len(rows), desc=f"Writing {table}", disable=not progress, mininterval=0.5)
    if connection.vendor == "postgresql":
        column_list = ", ".join(f'"{c}"' for c in columns)
        with connection.cursor() as cursor:
            raw = cursor.cursor
            for start in range(0, len(rows), CHUNK):
                with raw.copy(f"COPY {table} ({column_list}) FROM STDIN") as copy:
                    for row in rows[start : start + CHUNK]:
                        copy.write_row(row)
                bar.update(len(rows[start : start + CHUNK]))
    else:
        names = list(columns)
        for start in range(0, len(rows), CHUNK):
            objects = [model(**dict(zip(names, row, strict=True))) for row in rows[start : start + CHUNK]]
            model.objects.bulk_create(objects, batch_size=2000)
            bar.update(len(objects))
    bar.close()


def _reset_sequences(models) -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 1))"  # nosec B608
            )


def seed(context: DemoContext) -> None:
    counts = load_register(context.registrants, context.rng, progress=context.progress)
    context.stdout.write(
        f"Register: {counts['registrants']:,} registrants, {counts['events']:,} register events, "
        f"{counts['annotations']:,} annotations, {counts['names']:,} distinct names."
    )
    # The emergency-powers temporary register ended in March 2022: the daily job's own service ends
    # those registrations on their end date, with their register events, as it would have then.
    ended = temporary_registrations_end()
    context.stdout.write(f"Temporary register: {ended['removed']:,} registrations ended on their end date.")
    demo_user(
        context, username="registration.officer", role=Role.REGISTRATION_OFFICER, first_name="Rita", last_name="Officer"
    )
    # The registration work (registration.work_demo) is its own seeder, run after education_qa.demo
    # so that UK applications choose real approved courses.
