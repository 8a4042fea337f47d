"""Each officer's daily message: their items that newly breached or fall due soon; a team lead's
lists their team's. What each message told is recorded (models.TimerNotification), so a breach is
told once only and a re-run of the night's job sends nothing twice (decision 0823).

Sending goes through `deliver`, the one function to re-point at another sender (the Notify-backed
idempotent send being built beside this)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from .models import TimerDigest, TimerNotification, TimerState, WorkTimer
from .roles import Role
from .timers import sources

NOTIFIED = (TimerState.BREACHED, TimerState.DUE_SOON)


def deliver(digest: TimerDigest) -> None:
    """Send one recorded digest (Django's email API)."""
    send_mail(digest.subject, digest.body, settings.DEFAULT_FROM_EMAIL, [digest.to])


def _untold(recipient_id: int):
    told = TimerNotification.objects.filter(
        timer=OuterRef("pk"), recipient_id=recipient_id, kind=OuterRef("state"), due_on=OuterRef("due_on")
    )
    return WorkTimer.objects.filter(state__in=NOTIFIED).exclude(Exists(told))


def recipients() -> dict[int, list[str]]:
    """Who gets a digest: each owner of a timer that is breached or due soon (their own items), and
    each team lead (the teams whose function role they also hold). user id -> teams ([] = own only)."""
    User = get_user_model()
    who: dict[int, list[str]] = defaultdict(list)
    for owner_id in (
        WorkTimer.objects.filter(state__in=NOTIFIED, owner__isnull=False).values_list("owner_id", flat=True).distinct()
    ):
        who.setdefault(owner_id, [])
    teams = set(WorkTimer.objects.filter(state__in=NOTIFIED).values_list("team", flat=True).distinct())
    leads = User.objects.filter(is_active=True, groups__name=str(Role.TEAM_LEAD)).prefetch_related("groups")
    for lead in leads:
        lead_teams = sorted({g.name for g in lead.groups.all()} & teams)
        if lead_teams:
            who[lead.pk] = lead_teams
    return who


def _body(user, rows: list[WorkTimer], today: dt.date) -> tuple[str, str]:
    labels = {kind: source.label for kind, source in sources().items()}
    breached = [t for t in rows if t.state == TimerState.BREACHED]
    soon = [t for t in rows if t.state == TimerState.DUE_SOON]
    subject = f"Service standards: {len(breached)} newly breached, {len(soon)} due soon"
    lines = [f"Hello {user.get_full_name() or user.get_username()},", "", f"Your work on {today:%-d %B %Y}:"]
    for title, group in (("Newly breached", breached), ("Due in the next 5 working days", soon)):
        if group:
            lines += ["", f"{title}:"]
            for t in group:
                url = sources()[t.kind].url(t.item_id)
                where = f" {settings.SITE_URL.rstrip('/')}{url}" if url else ""
                whose = "" if t.owner_id == user.pk else " (your team)"
                lines.append(
                    f"- {labels.get(t.kind, t.kind)} {t.reference}: {t.standard.get_code_display()}, "
                    f"due {t.due_on:%-d %B %Y}{whose}{where}"
                )
    return subject, "\n".join(lines) + "\n"


def digest_prepare(*, user, teams: list[str], today: dt.date) -> TimerDigest | None:
    """Record today's digest for one person and what it tells, in one transaction: or None when
    there is nothing new to tell, or today's is already recorded."""
    with transaction.atomic():
        rows = list(
            _untold(user.pk)
            .filter(Q(owner_id=user.pk) | Q(team__in=teams))
            .select_related("standard")
            .order_by("state", "due_on", "id")
        )
        if not rows or not user.email:
            return None
        subject, body = _body(user, rows, today)
        try:
            with transaction.atomic():
                digest = TimerDigest.objects.create(
                    recipient=user, sent_on=today, to=user.email, subject=subject, body=body, created_at=timezone.now()
                )
        except IntegrityError:
            return None  # today's is recorded already (a second run): what it left out waits for tomorrow
        TimerNotification.objects.bulk_create(
            [TimerNotification(timer=t, recipient=user, kind=t.state, due_on=t.due_on, digest=digest) for t in rows],
            ignore_conflicts=True,
        )
    return digest


def digests_send(*, today: dt.date) -> int:
    """Prepare and send today's digests; send any recorded earlier today and not yet sent (a worker
    that died between the record and the send). Returns how many were sent."""
    User = get_user_model()
    who = recipients()
    users = {u.pk: u for u in User.objects.filter(pk__in=list(who))}
    for user_id, teams in who.items():
        if user_id in users:
            digest_prepare(user=users[user_id], teams=teams, today=today)
    sent = 0
    for digest in TimerDigest.objects.filter(sent_on=today, sent_at__isnull=True).order_by("id"):
        with transaction.atomic():
            locked = (
                TimerDigest.objects.select_for_update(skip_locked=True)
                .filter(pk=digest.pk, sent_at__isnull=True)
                .first()
            )
            if locked is None:
                continue
            deliver(locked)
            locked.sent_at = timezone.now()
            locked.save(update_fields=["sent_at"])
            sent += 1
    return sent
