"""A user's own notifications: the list, and marking them read."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from accounts.models import User
from notifications.models import Notification


def _user(request: HttpRequest) -> User:
    """The signed-in user (``login_required`` has checked)."""
    assert isinstance(request.user, User)
    return request.user


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    notifications = Notification.objects.filter(user=_user(request)).order_by("-created_at", "-pk")
    page = Paginator(notifications, 50).get_page(request.GET.get("page"))
    unread = Notification.objects.filter(user=_user(request), read_at__isnull=True).count()
    return render(request, "notifications/list.html", {"page": page, "unread": unread})


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one of the user's notifications read, then open its link (or the list)."""
    notification = get_object_or_404(Notification, pk=pk, user=_user(request))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    target = notification.url if request.POST.get("open") else ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notifications:list")


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    Notification.objects.filter(user=_user(request), read_at__isnull=True).update(
        read_at=timezone.now()
    )
    return redirect("notifications:list")
