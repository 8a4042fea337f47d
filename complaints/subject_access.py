"""What complaints and information governance hold about a registrant (regulator.subject_access):
their complaints and information requests with their history. The exports themselves are not listed
(they are copies of this)."""

from regulator.subject_access import audit_rows, rows

from .models import Complaint, ComplaintEvent, InformationRequest, InformationRequestEvent


def export(registrant) -> dict[str, list[dict]]:
    complaints = Complaint.objects.filter(registrant=registrant).order_by("received_on", "id")
    requests = InformationRequest.objects.filter(registrant=registrant).order_by("received_on", "id")
    complaint_ids = list(complaints.values_list("pk", flat=True))
    request_ids = list(requests.values_list("pk", flat=True))
    return {
        "complaints": rows(complaints),
        "complaint_events": rows(
            ComplaintEvent.objects.filter(complaint_id__in=complaint_ids).order_by("at", "id"),
            ["complaint_id", "kind", "stage", "on", "at", "reason", "detail"],
        ),
        "information_requests": rows(requests),
        "information_request_events": rows(
            InformationRequestEvent.objects.filter(request_id__in=request_ids).order_by("at", "id"),
            ["request_id", "kind", "on", "at", "reason", "detail"],
        ),
        "audit_events": audit_rows(
            {"complaints.complaint": complaint_ids, "complaints.informationrequest": request_ids}
        ),
    }
