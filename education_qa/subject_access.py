"""What education QA holds about a registrant: enquiries they made (regulator.subject_access)."""

from regulator.subject_access import audit_rows, rows

from .models import EducationEvent, Enquiry


def export(registrant) -> dict[str, list[dict]]:
    enquiries = Enquiry.objects.filter(registrant=registrant).order_by("received_on", "id")
    ids = list(enquiries.values_list("pk", flat=True))
    return {
        "enquiries": rows(enquiries),
        "enquiry_events": rows(
            EducationEvent.objects.filter(enquiry_id__in=ids).order_by("at", "id"),
            ["enquiry_id", "kind", "on", "at", "reason", "detail"],
        ),
        "audit_events": audit_rows({"education_qa.enquiry": ids}),
    }
