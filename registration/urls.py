"""Registration pages: the public register (namespace `register`); the registrant's account and
the officers' queues are added beside it under their own namespaces."""

from django.urls import include, path

from . import views, work_views

register_patterns = [
    path("", views.register_search_page, name="search"),
    path("check/", views.register_check_page, name="check"),
    path("<str:number>/", views.register_entry_page, name="entry"),
]

account_patterns = [
    path("", work_views.AccountView.as_view(), name="home"),
    path("sign-up/", work_views.SignUpView.as_view(), name="sign_up"),
    path("sign-up/sent/", work_views.SignUpSentView.as_view(), name="sign_up_sent"),
    path("sign-up/confirm/<uidb64>/<token>/", work_views.SignUpConfirmView.as_view(), name="sign_up_confirm"),
    path("cpd/new/", work_views.CPDRecordCreateView.as_view(), name="cpd_new"),
    path("renew/", work_views.RenewView.as_view(), name="renew"),
    path("apply/", work_views.ApplyView.as_view(), name="apply"),
    path("appeal-removal/", work_views.AppealRemovalView.as_view(), name="appeal_removal"),
    path("applications/<int:pk>/", work_views.MyApplicationView.as_view(), name="application"),
    path("renewals/<int:pk>/", work_views.RenewedView.as_view(), name="renewed"),
    path("password-reset/", work_views.PasswordResetView.as_view(), name="password_reset"),
    path("password-reset/sent/", work_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password-reset/<uidb64>/<token>/",
        work_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("password-reset/done/", work_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]
work_patterns = [
    path("applications/", work_views.ApplicationQueueView.as_view(), name="queue"),
    path("applications/<int:pk>/", work_views.ApplicationPageView.as_view(), name="application"),
    path("documents/<int:pk>/", work_views.DocumentDownloadView.as_view(), name="document"),
    path("renewal-window/", work_views.RenewalWindowView.as_view(), name="renewal_window"),
    path("renewal-window/not-renewed.csv", work_views.RenewalWindowPreviewCSV.as_view(), name="renewal_window_preview"),
    path("appeals/", work_views.AppealListView.as_view(), name="appeals"),
    path("appeals/<int:pk>/", work_views.AppealPageView.as_view(), name="appeal"),
    path("misuse-of-title/", work_views.MisuseOfTitleView.as_view(), name="misuse_of_title"),
    path("misuse-of-title/<int:pk>/", work_views.MisuseOfTitleCaseView.as_view(), name="misuse_of_title_case"),
    path("contact/", work_views.ContactCentreView.as_view(), name="contact"),
]

urlpatterns = [
    path("register/", include((register_patterns, "register"))),
    path("account/", include((account_patterns, "account"))),
    path("registration/", include((work_patterns, "registration-work"))),
]
