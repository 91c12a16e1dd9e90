"""The training section of a director's pages: the contract page and the director's own
record (我的聘期) show each year's compliance and the courses attended.

``{% load training %}{% training_section person years %}``: ``years`` defaults to the last
three years up to this one."""

from django import template
from django.utils import timezone

from training.selectors import compliance_by_year, courses_attended

register = template.Library()


@register.inclusion_tag("training/_section.html")
def training_section(person, first_year=None):
    if person is None:
        return {"rows": [], "attended": []}
    today = timezone.localdate()
    first = first_year or today.year - 2
    years = range(max(first, today.year - 9), today.year + 1)
    found = compliance_by_year([person.pk], years).get(person.pk, {})
    return {
        "rows": [found[y] for y in sorted(found, reverse=True)],
        "attended": list(courses_attended(person.pk)[:20]),
    }
