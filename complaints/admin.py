"""Complaints and information requests in the admin: read-only (changes go through the services)."""

from django.contrib import admin

from regulator.readonly_admin import ReadOnlyAdmin

from . import models


@admin.register(models.Complaint)
class ComplaintAdmin(ReadOnlyAdmin):
    list_display = ["reference", "received_on", "category", "stage", "status", "assigned_to"]
    list_filter = ["status", "category", "stage"]
    list_select_related = ["assigned_to"]
    search_fields = ["reference", "complainant_name"]


@admin.register(models.InformationRequest)
class InformationRequestAdmin(ReadOnlyAdmin):
    list_display = ["reference", "kind", "received_on", "status", "closed_on"]
    list_filter = ["kind", "status"]
    search_fields = ["reference", "requester_name"]


@admin.register(models.SubjectAccessExport)
class SubjectAccessExportAdmin(ReadOnlyAdmin):
    list_display = ["request", "status", "requested_at", "completed_at", "size_bytes"]
    list_filter = ["status"]
    list_select_related = ["request"]
