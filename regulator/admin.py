from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from . import service_standards
from .errors import RuleViolation
from .models import AuditEvent, ServiceStandard, TimerDigest, User, WorkTimer
from .readonly_admin import ReadOnlyAdmin
from .transitions import today


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


class ServiceStandardForm(forms.ModelForm):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), help_text="Why: kept in the audit trail.")

    class Meta:
        model = ServiceStandard
        fields = [*service_standards.EDITABLE_FIELDS]

    def _post_clean(self):
        super()._post_clean()  # the instance now holds the submitted values
        if not self.errors:
            current = ServiceStandard.objects.get(pk=self.instance.pk) if self.instance.pk else None
            try:
                service_standards.service_standard_check(self.instance, current)
            except RuleViolation as error:
                self.add_error(error.field if error.field in self.fields else None, error.message)


@admin.register(ServiceStandard)
class ServiceStandardAdmin(admin.ModelAdmin):
    """Administrators keep the service standards; every change goes through the service (audited)."""

    form = ServiceStandardForm
    list_display = ("code", "rule", "effective_from")
    list_filter = ("code",)
    ordering = ("code", "effective_from")

    def save_model(self, request, obj, form, change):
        service_standards.service_standard_save(standard=obj, actor=request.user, reason=form.cleaned_data["reason"])

    def delete_model(self, request, obj):
        service_standards.service_standard_delete(standard=obj, actor=request.user, reason="Withdrawn in the admin")

    # Administrators (the only people the site admits) keep the table without per-model permissions.
    def has_view_permission(self, request, obj=None):
        return self.admin_site.has_permission(request)

    def has_module_permission(self, request):
        return self.admin_site.has_permission(request)

    def has_add_permission(self, request):
        return self.admin_site.has_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.admin_site.has_permission(request)

    def has_delete_permission(self, request, obj=None):
        return self.admin_site.has_permission(request) and (obj is None or obj.effective_from > today())

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # one at a time, through the service
        return actions


@admin.register(WorkTimer)
class WorkTimerAdmin(ReadOnlyAdmin):
    list_display = ("reference", "kind", "clock", "due_on", "state", "owner")
    list_filter = ("state", "kind", "clock")
    search_fields = ("reference",)


@admin.register(TimerDigest)
class TimerDigestAdmin(ReadOnlyAdmin):
    list_display = ("sent_on", "to", "subject", "sent_at")
