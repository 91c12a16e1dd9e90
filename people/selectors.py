"""Reading person records: the people list and its export, with its filters."""

import dataclasses

from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from accounts.scoping import scoped
from core.filters import ListFilters, search
from people.models import Person
from people.search import name_condition


@dataclasses.dataclass(frozen=True)
class PersonFilters(ListFilters):
    q: str = dataclasses.field(default="", metadata={"label": _("Search")})

    @classmethod
    def from_query(cls, params: QueryDict) -> "PersonFilters":
        return cls(q=search(params.get("q")))


def people_listed(user, filters: PersonFilters) -> QuerySet[Person]:
    """The people ``user`` sees matching the search (a name, a pinyin spelling or a whole ID
    number, ``people.search``), in the order of ``Person.Meta``: pinyin and id, which the
    indexes person_pinyin and person_township_pinyin keep in order."""
    people = scoped(Person.objects.select_related("township", "village"), user)
    return people_matching(people, filters.q)


def people_matching(people: QuerySet[Person], term: str) -> QuerySet[Person]:
    """``people`` matching a name, a pinyin spelling (``wang xiao``) or a whole ID number
    (``people.search``); all of them for an empty term."""
    condition = name_condition(term)
    return people if condition is None else people.filter(condition)
