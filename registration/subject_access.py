"""What the register holds about a registrant, for a subject access request (regulator.subject_access)."""

from regulator.subject_access import audit_rows, rows

from .models import Annotation, RegisterEntry, RegisterEvent, Registrant


def export(registrant) -> dict[str, list[dict]]:
    person = Registrant.objects.filter(pk=registrant.pk)
    entries = RegisterEntry.objects.filter(registrant=registrant)
    entry_ids = list(entries.values_list("pk", flat=True))
    annotations = Annotation.objects.filter(entry_id__in=entry_ids)
    return {
        "registrant": rows(person),
        "register_entries": rows(entries),
        "register_events": rows(RegisterEvent.objects.filter(entry_id__in=entry_ids).order_by("at", "id")),
        "annotations": rows(annotations),
        "audit_events": audit_rows(
            {
                "registration.registrant": [registrant.pk],
                "registration.registerentry": entry_ids,
                "registration.annotation": list(annotations.values_list("pk", flat=True)),
            }
        ),
    }
