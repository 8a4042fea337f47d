from django.contrib.admin.apps import AdminConfig


class RegulatorAdminConfig(AdminConfig):
    """The Django admin, with the site that admits only the administrator role."""

    default_site = "regulator.admin_site.RegulatorAdminSite"
