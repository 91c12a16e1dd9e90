"""Template helpers of the staff site: the navigation, ages, audit changes, document links and
task deadlines."""

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from audit.display import audit_changes, describe_entries, local_date
from core.identity import age_on
from core.text import in_brackets, join_list, with_colon
from web.site import site as staff_site
from workflows.deadlines import deadline_text, is_overdue

register = template.Library()


@register.filter
def age_today(birth_date) -> int | str:
    """Age in full years (周岁) today, Asia/Shanghai."""
    if not birth_date:
        return ""
    return age_on(birth_date, timezone.localdate())


@register.inclusion_tag("web/includes/menu_entries.html", takes_context=True)
def staff_menu(context):
    """The navigation entries the signed-in user may use, with the current one marked."""
    request = context.get("request")
    user = getattr(request, "user", None)
    entries = []
    if user is not None and user.is_authenticated:
        match = getattr(request, "resolver_match", None)
        current = (match.namespace.split(":")[0] if match and match.namespace else "") or ""
        for section in staff_site.menu_items():
            if not getattr(section, "menu_visible", None) or not section.menu_visible(user):
                continue
            url = section.menu_url()
            if url is None:
                continue
            entries.append(
                {
                    "title": section.title,
                    "icon": section.icon,
                    "url": url,
                    "active": section.app_name == current,
                }
            )
    return {
        "entries": entries,
        "show_admin": bool(user is not None and user.is_authenticated and user.is_superuser),
    }


@register.filter
def colon(label) -> str:
    """``{{ label|colon }}{{ value }}``: a label and the language's colon, "状态：" in Chinese,
    "State: " in English (``core.text.with_colon``)."""
    return mark_safe(with_colon(conditional_escape(label)))  # escaped above


@register.filter(name="in_brackets")
def in_brackets_filter(note) -> str:
    """``{{ text }}{{ note|in_brackets }}``: a note in the language's brackets, "（有效）" in
    Chinese, " (active)" in English (``core.text.in_brackets``)."""
    return mark_safe(in_brackets(conditional_escape(note)))  # escaped above


register.filter("audit_changes", audit_changes)


@register.simple_tag
def audit_views(entries):
    """``{% audit_views entries as rows %}``: the entries as a clerk reads them, every record
    they name looked up once for the whole list (``audit.display.describe_entries``)."""
    return describe_entries(entries or [])


@register.filter(name="stored_date")
def stored_date(value) -> str:
    """A date as an audit entry stores it (ISO text) in the language's format: 2026年1月1日."""
    return local_date(value) if value else ""


@register.filter(name="join_list")
def join_list_filter(items) -> str:
    """Items joined as the language lists them: 甲、乙、丙 in Chinese."""
    return join_list(items or [])


# URL names, in order of preference, under which the paperwork app serves one document.
DOCUMENT_URL_NAMES = ("paperwork:detail", "paperwork:download", "paperwork:document")


@register.simple_tag
def document_url(document) -> str:
    """The page or file of one document, or "" while the paperwork app has no such page."""
    for name in DOCUMENT_URL_NAMES:
        try:
            return reverse(name, args=[document.pk])
        except NoReverseMatch:
            continue
    return ""


@register.inclusion_tag("web/includes/deadline.html")
def deadline(due, explain: bool = False):
    """``{% deadline due %}``: a task's time limit as every page says it — its last day
    (``workflows.deadlines.deadline_text``), marked when overdue; with ``explain=True``,
    what happens to a task not done by then."""
    if not due:
        return {"text": ""}
    overdue = is_overdue(due)
    return {"text": deadline_text(due, explain=explain and not overdue), "overdue": overdue}
