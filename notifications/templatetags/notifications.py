"""``{% unread_notifications %}``: the top bar's link to the user's notifications with the
unread count (one query, whatever the number)."""

from django import template

from notifications.models import Notification

register = template.Library()


@register.inclusion_tag("notifications/top_bar.html", takes_context=True)
def unread_notifications(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"show": False}
    count = Notification.objects.filter(user=user, in_app=True, read_at__isnull=True).count()
    return {"show": True, "count": count}
