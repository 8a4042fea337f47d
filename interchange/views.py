"""Administrators' pages for importing a history folder: upload a zip, read the check, confirm,
watch the job. No JavaScript needed: a running job's page refreshes itself (meta refresh)."""

from django import forms
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views import View

from regulator.errors import DomainError
from regulator.permissions import RoleRequiredMixin
from regulator.roles import Role

from . import services
from .models import ImportJob
from .reader import Report

RUNNING = (ImportJob.Status.QUEUED_CHECK, ImportJob.Status.CHECKING, ImportJob.Status.QUEUED, ImportJob.Status.RUNNING)


class UploadForm(forms.Form):
    archive = forms.FileField(label="Zip of the history folder", help_text="The CSV files of the interchange format.")


class AdministratorsOnly(RoleRequiredMixin):
    required_roles = (Role.ADMINISTRATOR,)


class ImportListView(AdministratorsOnly, View):
    def get(self, request, form=None, status=200):
        jobs = ImportJob.objects.select_related("uploaded_by")[:20]
        return render(request, "interchange/imports.html", {"form": form or UploadForm(), "jobs": jobs}, status=status)

    def post(self, request):
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.get(request, form=form, status=400)
        try:
            job = services.import_job_upload(upload=form.cleaned_data["archive"], actor=request.user)
        except DomainError as error:
            form.add_error("archive", str(error))
            return self.get(request, form=form, status=400)
        return HttpResponseRedirect(reverse("interchange:job", args=[job.pk]))


class ImportJobView(AdministratorsOnly, View):
    def get(self, request, pk):
        job = get_object_or_404(ImportJob, pk=pk)
        report = Report.from_dict(job.import_report or job.check_report or {})
        context = {
            "job": job,
            "running": job.status in RUNNING,
            "report": report,
            "errors": report.summary_lines(100),
            "counts": sorted(report.counts.items()),
            "can_confirm": job.status == ImportJob.Status.CHECKED,
        }
        return render(request, "interchange/job.html", context)


class ConfirmImportView(AdministratorsOnly, View):
    def post(self, request, pk):
        job = get_object_or_404(ImportJob, pk=pk)
        try:
            services.import_job_confirm(job_id=job.pk, actor=request.user)
        except DomainError as error:
            return render(request, "interchange/job.html", {"job": job, "refused": str(error)}, status=409)
        return HttpResponseRedirect(reverse("interchange:job", args=[job.pk]))
