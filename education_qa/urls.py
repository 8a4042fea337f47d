"""Education QA pages: the officers' section (namespace `education`) and providers' own returns
(namespace `provider`)."""

from django.urls import include, path

from . import views

education_patterns = [
    path("", views.CourseQueue.as_view(), name="courses"),
    path("courses/new/", views.CourseProposeView.as_view(), name="course-new"),
    path("providers/", views.ProviderQueue.as_view(), name="providers"),
    path("providers/new/", views.ProviderCreateView.as_view(), name="provider-new"),
    path("courses/<int:pk>/", views.CoursePage.as_view(), name="course"),
    path("approval-requests/", views.ApprovalRequestQueue.as_view(), name="requests"),
    path("approval-requests/<int:pk>/", views.ApprovalRequestPage.as_view(), name="request"),
    path("monitoring/", views.MonitoringQueue.as_view(), name="monitoring"),
    path("monitoring/returns/<int:pk>/", views.ReturnPage.as_view(), name="return"),
    path("enquiries/", views.EnquiryQueue.as_view(), name="enquiries"),
    path("enquiries/new/", views.EnquiryCreateView.as_view(), name="enquiry-new"),
    path("enquiries/<int:pk>/", views.EnquiryPage.as_view(), name="enquiry"),
    path("concerns/", views.ConcernQueue.as_view(), name="concerns"),
    path("concerns/new/", views.ConcernCreateView.as_view(), name="concern-new"),
    path("concerns/<int:pk>/", views.ConcernPage.as_view(), name="concern"),
]

provider_patterns = [
    path("returns/", views.ProviderReturnQueue.as_view(), name="returns"),
    path("returns/<int:pk>/", views.ProviderReturnPage.as_view(), name="return"),
    path("courses/", views.ProviderCourseQueue.as_view(), name="courses"),
    path("courses/<int:pk>/", views.ProviderCoursePage.as_view(), name="course"),
]

urlpatterns = [
    path("education/", include((education_patterns, "education"))),
    path("provider/", include((provider_patterns, "provider"))),
]
