"""The one place that decides which records a user may see.

Every list, detail page, form choice and export goes through :func:`scoped`, so a user of one
township never reaches another township's records: lists leave them out and detail pages
answer 404, as if they did not exist.

A model takes part by declaring ``scope_paths``: for each scope (see
``accounts.constants.Scope``), the lookup from the model to the user's county, township,
village or person. A scope left out sees nothing of that model.
"""

from django.db.models import Manager, Model, Q, QuerySet
from django.http import Http404

from accounts.constants import Role, Scope
from core.scoping import ScopePaths, scope_q


def scope_filter(model: type[Model], user) -> Q | None:
    """The filter restricting ``model`` to what ``user`` may see; None means everything."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if user.role == Role.ADMINISTRATOR:
        return None
    paths: ScopePaths = model.scope_paths  # type: ignore[attr-defined]
    scope = user.scope
    if scope == Scope.COUNTY and paths.county:
        return scope_q(paths.county, user.county_id)
    if scope == Scope.TOWNSHIP and paths.township and user.township_id:
        return scope_q(paths.township, user.township_id)
    if scope == Scope.VILLAGE and paths.village and user.village_id:
        return scope_q(paths.village, user.village_id)
    if scope == Scope.SELF and paths.self and user.person_id:
        return scope_q(paths.self, user.person_id)
    return Q(pk__in=[])


def scoped(queryset: QuerySet | Manager, user) -> QuerySet:
    """``queryset`` narrowed to the records ``user`` may see."""
    queryset = queryset.all()
    condition = scope_filter(queryset.model, user)
    return queryset if condition is None else queryset.filter(condition)


def get_scoped_or_404(queryset: QuerySet | Manager, user, **lookup):
    """One record the user may see, or 404 whether it is missing or out of scope."""
    try:
        return scoped(queryset, user).get(**lookup)
    except queryset.model.DoesNotExist as exc:
        raise Http404 from exc


def can_see(user, obj: Model) -> bool:
    return scoped(type(obj)._default_manager.filter(pk=obj.pk), user).exists()
