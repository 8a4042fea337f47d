from django.urls import path
from rest_framework.routers import SimpleRouter

from . import account_views, officer_views, views

officer = SimpleRouter(use_regex_path=False)
officer.register("applications", officer_views.ApplicationViewSet, basename="api-application")
officer.register(
    "renewal-window-closures", officer_views.RenewalWindowClosureViewSet, basename="api-renewal-window-closure"
)
officer.register("appeals", officer_views.AppealViewSet, basename="api-appeal")
officer.register("misuse-of-title-cases", officer_views.MisuseOfTitleCaseViewSet, basename="api-misuse-of-title")
officer.register("calls", officer_views.CallViewSet, basename="api-call")
officer.register("email-enquiries", officer_views.EmailEnquiryViewSet, basename="api-email-enquiry")
account = SimpleRouter(use_regex_path=False)
account.register("account/cpd", account_views.MyCPDViewSet, basename="api-my-cpd")
account.register("account/applications", account_views.MyApplicationViewSet, basename="api-my-application")

urlpatterns = [
    path("register/", views.PublicRegisterSearchView.as_view(), name="api-register-search"),
    path("register/check/", views.PublicRegisterCheckView.as_view(), name="api-register-check"),
    path("register/<str:number>/", views.PublicRegisterEntryView.as_view(), name="api-register-entry"),
    path(
        "temporary-register/add/", officer_views.TemporaryRegisterAddView.as_view(), name="api-temporary-register-add"
    ),
    path(
        "temporary-register/remove/",
        officer_views.TemporaryRegisterRemoveView.as_view(),
        name="api-temporary-register-remove",
    ),
    path("account/", account_views.MyRecordView.as_view(), name="api-my-record"),
    path("account/renewals/", account_views.MyRenewalView.as_view(), name="api-my-renewals"),
    path("account/appeals/", account_views.MyAppealView.as_view(), name="api-my-appeals"),
    *officer.urls,
    *account.urls,
]
