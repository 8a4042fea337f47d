"""Read-mostly admin views for administrators (changes go through the services, not the admin)."""

from django.contrib import admin

from .models import Appeal, Application, Call, CPDRecord, EmailEnquiry, MisuseOfTitleCase, RenewalWindowClosure


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ["reference", "kind", "route", "status", "investigation_required", "received_at", "decided_at"]
    list_filter = ["kind", "route", "status", "investigation_required"]
    search_fields = ["reference", "registrant__family_name"]


for model in (Appeal, Call, CPDRecord, EmailEnquiry, MisuseOfTitleCase, RenewalWindowClosure):
    admin.site.register(model, ReadOnlyAdmin)
