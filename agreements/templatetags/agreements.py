"""A director's agreements as a section of their pages: ``{% load agreements %}{% my_agreements
person %}`` (agreements.selectors.agreements_of). A tag, so that the pages of apps below this
one need not import it; the director's portal passes the rows itself."""

from django import template
from django.utils import timezone

from agreements.selectors import agreements_of

register = template.Library()


@register.inclusion_tag("agreements/_my_agreements.html")
def my_agreements(person):
    return {"rows": agreements_of(person, today=timezone.localdate())}
