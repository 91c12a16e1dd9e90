"""Template helpers of the staff site: the navigation and masked audit changes."""

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.text import capfirst

from people.identity import age_on, mask_id_number, mask_mobile
from web.site import site as staff_site

register = template.Library()


def mask_birth_date(value: str) -> str:
    """Only the year: next to a masked ID number a full birth date would complete it."""
    return f"{str(value)[:4]}-**-**"


# Fields whose values are shown masked wherever an audit entry is displayed. The audit trail
# stores them masked already (audit.masking); masking again here is harmless and covers any
# value stored otherwise.
SENSITIVE_FIELDS = {
    "id_number": mask_id_number,
    "phone": mask_mobile,
    "birth_date": mask_birth_date,
}


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


def _field_labels(model) -> dict[str, str]:
    """Labels by attname (``township_id``) and by name (``township``, ``groups``): audit
    entries of most records are keyed by attname, those of users by name."""
    if model is None:
        return {}
    labels: dict[str, str] = {}
    for f in model._meta.get_fields():
        verbose_name = getattr(f, "verbose_name", None)
        if verbose_name is None:
            continue
        labels[f.name] = labels[getattr(f, "attname", f.name)] = capfirst(verbose_name)
    return labels


def _field_names(model) -> dict[str, str]:
    if model is None:
        return {}
    return {f.attname: f.name for f in model._meta.concrete_fields}


def mask_value(field_name: str, value):
    masker = SENSITIVE_FIELDS.get(field_name)
    if masker is None or value in (None, ""):
        return value
    return masker(str(value))


@register.filter
def audit_changes(entry) -> list[dict]:
    """The fields an audit entry changed, labelled, with ID and phone numbers masked."""
    model = entry.content_type.model_class()
    labels, names = _field_labels(model), _field_names(model)
    rows = []
    for key, before, after in entry.changes():
        name = names.get(key, key)
        rows.append(
            {
                "label": labels.get(key, key),
                "before": mask_value(name, before),
                "after": mask_value(name, after),
            }
        )
    return rows


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
