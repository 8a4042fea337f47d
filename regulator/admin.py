from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from .models import AuditEvent, User
from .roles import Role, has_role


def _administrators_only(request) -> bool:
    """The Django admin is for administrators only, whatever is_staff says."""
    user = request.user
    return user.is_active and user.is_staff and has_role(user, Role.ADMINISTRATOR)


admin.site.has_permission = _administrators_only
admin.site.site_header = "Social work regulator administration"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "email", "first_name", "last_name", "is_active")


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("at", "actor_label", "action", "object_type", "object_id")
    list_filter = ("action", "object_type")
    search_fields = ("object_id", "actor_label", "reason")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
