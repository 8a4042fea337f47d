"""Education QA in the admin: read-only (changes go through the services)."""

from django.contrib import admin

from regulator.readonly_admin import ReadOnlyAdmin

from . import models


@admin.register(models.CourseProvider)
class CourseProviderAdmin(ReadOnlyAdmin):
    list_display = ["name", "town", "contact_email"]
    search_fields = ["name", "town"]


@admin.register(models.Course)
class CourseAdmin(ReadOnlyAdmin):
    list_display = ["name", "provider", "qualification_level", "mode", "status", "approved_on"]
    list_filter = ["status", "qualification_level", "mode"]
    list_select_related = ["provider"]
    search_fields = ["name", "provider__name"]


@admin.register(models.ApprovalRequest)
class ApprovalRequestAdmin(ReadOnlyAdmin):
    list_display = ["course", "kind", "status", "received_on", "outcome", "decided_on"]
    list_filter = ["status", "kind", "outcome"]
    list_select_related = ["course__provider"]


@admin.register(models.EducationEvent)
class EducationEventAdmin(ReadOnlyAdmin):
    list_display = ["on", "kind", "course", "actor", "status_after"]
    list_filter = ["kind"]
    list_select_related = ["course__provider", "actor"]
