"""Operators' pages: the messages the product has sent (administrators only), health and readiness."""

from django.core.paginator import Paginator
from django.views.generic import TemplateView

from .models import Notification
from .permissions import RoleRequiredMixin
from .roles import Role


class SentMessagesView(RoleRequiredMixin, TemplateView):
    """Every email the product has recorded, newest first: with the development backend this page is
    the mailbox; with GOV.UK Notify or SMTP it shows what was sent, failed, or is stuck "sending"."""

    required_roles = (Role.ADMINISTRATOR,)
    template_name = "regulator/sent_messages.html"
    PAGE_SIZE = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        statuses = dict(Notification.Status.choices)
        chosen = self.request.GET.get("status", "")
        messages = Notification.objects.order_by("-created_at", "-id")
        if chosen in statuses:
            messages = messages.filter(status=chosen)
        page = Paginator(messages, self.PAGE_SIZE).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            title="Sent messages", page_obj=page, rows=page.object_list, statuses=statuses, chosen=chosen,
            query_without_page=query.urlencode(),
        )
        return context
