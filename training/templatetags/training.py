"""The training section of a director's pages: the contract page and the director's own
portal (the director's "/" and 我的聘期) show each year's compliance and the courses attended.

``{% load training %}{% training_section person first_year %}``: ``first_year`` defaults to
two years before this one. ``due=True`` (the director's portal) adds what this year still asks
of them and the courses ahead of them (``training.selectors.courses_ahead``)."""

from django import template
from django.utils import timezone

from training.selectors import compliance_by_year, courses_ahead, courses_attended

register = template.Library()


@register.inclusion_tag("training/_section.html")
def training_section(person, first_year=None, due=False):
    if person is None:
        return {"rows": [], "attended": []}
    today = timezone.localdate()
    first = first_year or today.year - 2
    years = range(max(first, today.year - 9), today.year + 1)
    found = compliance_by_year([person.pk], years).get(person.pk, {})
    context: dict[str, object] = {
        "rows": [found[y] for y in sorted(found, reverse=True)],
        "attended": list(courses_attended(person.pk)[:20]),
    }
    if due:
        context["due"] = {
            "year": found.get(today.year),
            "ahead": courses_ahead(person, today=today),
        }
    return context
