"""Names for the complaints app's choice sets in the OpenAPI schema (settings: ENUM_NAME_OVERRIDES)."""

from .models import (
    Complaint,
    ComplaintCategory,
    ComplaintEvent,
    InformationRequest,
    InformationRequestEvent,
    SubjectAccessExport,
)

ComplaintStatus = Complaint.Status
ComplaintCategory = ComplaintCategory
ComplaintEventKind = ComplaintEvent.Kind
InformationRequestKind = InformationRequest.Kind
InformationRequestOutcome = InformationRequest.Outcome
InformationRequestEventKind = InformationRequestEvent.Kind
SubjectAccessExportStatus = SubjectAccessExport.Status
