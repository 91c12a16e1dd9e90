"""The director's own warnings, for the section on 我的聘期
(templates/earlywarnings/_my_warnings.html)."""

from django import template

from earlywarnings.selectors import warnings_of

register = template.Library()

MY_WARNINGS_SHOWN = 20


@register.simple_tag
def my_warnings(person) -> list:
    if person is None:
        return []
    return list(warnings_of(person)[:MY_WARNINGS_SHOWN])
