from django.contrib import admin

from .roles import Role, has_role


class RegulatorAdminSite(admin.AdminSite):
    """The Django admin is for administrators only, whatever is_staff says."""

    site_header = "Social work regulator administration"

    def has_permission(self, request) -> bool:
        user = request.user
        return bool(user.is_active and user.is_staff and has_role(user, Role.ADMINISTRATOR))
