"""Subject access: every record the registration app holds about one registrant, nobody else's."""

from __future__ import annotations

from regulator.audit import _jsonable
from regulator.subject_access import audit_rows

from .models import (
    Annotation,
    Appeal,
    AppealEvent,
    Application,
    ApplicationDocument,
    ApplicationEvent,
    CPDRecord,
    Letter,
    Payment,
    RegisterEntry,
    RegisterEvent,
    Renewal,
)


def _rows(queryset, fields: list[str]) -> list[dict]:
    return [{k: _jsonable(v) for k, v in row.items()} for row in queryset.values(*fields)]


def export(registrant) -> dict[str, list[dict]]:
    entry = RegisterEntry.objects.filter(registrant=registrant)
    applications = Application.objects.filter(registrant=registrant)
    payment_ids = [p for p in applications.values_list("payment_id", flat=True) if p]
    payment_ids += list(Renewal.objects.filter(entry__registrant=registrant).values_list("payment_id", flat=True))
    entry_ids = list(entry.values_list("pk", flat=True))
    annotations = Annotation.objects.filter(entry_id__in=entry_ids)
    return {
        "registrant": _rows(
            type(registrant).objects.filter(pk=registrant.pk),
            [
                "given_name",
                "family_name",
                "date_of_birth",
                "gender",
                "nationality",
                "email",
                "home_address",
                "created_at",
            ],
        ),
        "register_entry": _rows(
            entry,
            [
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
            ],
        ),
        "register_events": _rows(
            RegisterEvent.objects.filter(entry__registrant=registrant), ["kind", "on", "reason", "detail"]
        ),
        "applications": _rows(
            applications,
            [
                "reference",
                "kind",
                "route",
                "status",
                "town",
                "qualification",
                "awarding_institution",
                "course",
                "approved_course__name",
                "approved_course__provider__name",
                "qualified_on",
                "english_language_evidence",
                "registered_elsewhere",
                "character_declaration",
                "health_declaration",
                "declared_matters",
                "investigation_required",
                "investigation_reason",
                "decision_reasons",
                "registration_number",
                "received_at",
                "decided_at",
            ],
        ),
        "application_events": _rows(
            ApplicationEvent.objects.filter(application__registrant=registrant),
            ["application__reference", "event", "at", "reason"],
        ),
        "application_documents": _rows(
            ApplicationDocument.objects.filter(application__registrant=registrant),
            ["application__reference", "kind", "original_name", "content_type", "size", "uploaded_at"],
        ),
        "payments": _rows(
            Payment.objects.filter(pk__in=payment_ids),
            ["purpose", "amount_pence", "provider", "provider_reference", "status", "at"],
        ),
        "cpd_records": _rows(
            CPDRecord.objects.filter(registrant=registrant),
            [
                "kind",
                "done_on",
                "description",
                "learning",
                "impact",
                "peer_reflection",
                "peer_name",
                "peer_reflection_on",
            ],
        ),
        "renewals": _rows(
            Renewal.objects.filter(entry__registrant=registrant),
            ["registration_year_ends", "renewed_until", "renewed_at", "cpd_records_counted"],
        ),
        "letters": _rows(Letter.objects.filter(registrant=registrant), ["subject", "body", "created_at", "sent_at"]),
        "appeals": _rows(
            Appeal.objects.filter(registrant=registrant),
            ["reference", "grounds", "status", "lodged_at", "hearing_on", "concluded_at", "outcome_reasons"],
        ),
        "appeal_events": _rows(
            AppealEvent.objects.filter(appeal__registrant=registrant), ["appeal__reference", "event", "at", "reason"]
        ),
        "annotations": _rows(annotations, ["kind", "starts_on", "ends_on"]),
        # The audit trail about the register records above (who changed them, when, before and after).
        "audit_events": audit_rows(
            {
                "registration.registrant": [registrant.pk],
                "registration.registerentry": entry_ids,
                "registration.annotation": list(annotations.values_list("pk", flat=True)),
                "registration.application": list(applications.values_list("pk", flat=True)),
            }
        ),
    }
