"""Names for education QA's choice sets in the OpenAPI schema (settings: ENUM_NAME_OVERRIDES), so
fields called `status`, `kind`, `mode` or `outcome` on different records do not collide."""

from .models import (
    ApprovalRequest,
    Condition,
    CourseChange,
    CourseConcern,
    CourseStatus,
    EducationEvent,
    Enquiry,
    Inspection,
    InspectionTeamMember,
    MonitoringReturn,
    QualificationLevel,
    StudyMode,
)

CourseStatus = CourseStatus
StudyMode = StudyMode
QualificationLevel = QualificationLevel
InspectionMode = Inspection.Mode
InspectionTeamRole = InspectionTeamMember.Role
ApprovalRequestKind = ApprovalRequest.Kind
ApprovalRequestStatus = ApprovalRequest.Status
ApprovalOutcome = ApprovalRequest.Outcome
ConditionStatus = Condition.Status
CourseChangeStatus = CourseChange.Status
MonitoringReturnStatus = MonitoringReturn.Status
MonitoringReviewOutcome = MonitoringReturn.ReviewOutcome
OpenOrClosed = Enquiry.Status
CourseConcernOutcome = CourseConcern.Outcome
EducationEventKind = EducationEvent.Kind
