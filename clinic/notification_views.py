"""Thin views of the bell: the list of a person's notifications, opening one, marking all read."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from clinic import notifications as selectors
from clinic import notifications as services

PAGE_SIZE = 25


@require_GET
def notification_list(request):
    notifications = selectors.notifications_for(actor=request.user)
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "clinic/notifications.html", {"page": page, "has_unread": notifications.unread().exists()})


@require_POST
def notification_open(request, pk: int):
    notification = selectors.notification_get(actor=request.user, pk=pk)
    return redirect(services.notification_open(actor=request.user, notification=notification))


@require_POST
def notifications_mark_all_read(request):
    count = services.notifications_mark_all_read(actor=request.user)
    if count:
        messages.success(
            request,
            ngettext("%(count)d notification marked read.", "%(count)d notifications marked read.", count)
            % {"count": count},
        )
    else:
        messages.info(request, _("There was nothing unread."))
    return redirect("notifications:list")
