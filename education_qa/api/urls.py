"""Education QA API, under /api/v1/education/."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter(use_regex_path=False)  # path converters: <int:pk>, <uuid:pk>
router.register("education/providers", views.CourseProviderViewSet, basename="education-provider")
router.register("education/courses", views.CourseViewSet, basename="education-course")
router.register("education/approval-requests", views.ApprovalRequestViewSet, basename="education-approval-request")
router.register("education/conditions", views.ConditionViewSet, basename="education-condition")
router.register("education/course-changes", views.CourseChangeViewSet, basename="education-course-change")
router.register("education/monitoring-cycles", views.MonitoringCycleViewSet, basename="education-monitoring-cycle")
router.register("education/monitoring-returns", views.MonitoringReturnViewSet, basename="education-monitoring-return")
router.register("education/enquiries", views.EnquiryViewSet, basename="education-enquiry")
router.register("education/concerns", views.CourseConcernViewSet, basename="education-concern")

urlpatterns = [
    path("education/approved-courses/", views.ApprovedCoursesView.as_view(), name="education-approved-courses"),
    path("education/figures/", views.EducationFiguresView.as_view(), name="education-figures"),
    path("", include(router.urls)),
]
