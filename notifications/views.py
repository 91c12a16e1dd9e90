"""A user's own notifications: the list, marking them read, and the settings of what they
receive in the app and by email."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import User
from notifications.forms import PreferencesForm
from notifications.models import Notification
from notifications.services import preferences_of, preferences_save


def _user(request: HttpRequest) -> User:
    """The signed-in user (``login_required`` has checked)."""
    assert isinstance(request.user, User)
    return request.user


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    shown = Notification.objects.filter(user=_user(request), in_app=True)
    page = Paginator(shown.order_by("-created_at", "-pk"), 50).get_page(request.GET.get("page"))
    unread = shown.filter(read_at__isnull=True).count()
    return render(request, "notifications/list.html", {"page": page, "unread": unread})


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one of the user's notifications read, then open its link (or the list)."""
    notification = get_object_or_404(Notification, pk=pk, user=_user(request), in_app=True)
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


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def notification_settings(request: HttpRequest) -> HttpResponse:
    """通知设置: which categories the user receives in the app and by email."""
    user = _user(request)
    current = preferences_of(user)
    has_email = bool(user.email)
    form = PreferencesForm(
        request.POST if request.method == "POST" else None,
        choices=current,
        has_email=has_email,
    )
    if request.method == "POST" and form.is_valid():
        preferences_save(user=user, choices=form.chosen(current))
        messages.success(request, gettext("Your notification settings are saved."))
        return redirect("notifications:settings")
    return render(
        request,
        "notifications/settings.html",
        {"form": form, "has_email": has_email, "email": user.email},
    )
