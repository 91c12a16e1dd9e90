"""The checks every service makes before it changes anything: lock the record, require a
permission on it, require a state.

Each raises the exception that views turn into a message: ``PermissionDenied`` for the wrong
person, ``ValidationError`` for the wrong state, with a sentence that says what is wrong.
"""

from collections.abc import Iterable
from typing import TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils.translation import gettext as _

M = TypeVar("M", bound=models.Model)


def lock(obj: M, *, related: Iterable[str] = ()) -> M:
    """``obj``'s row as it is now, locked until the end of the transaction (with the
    ``related`` records joined, not locked). On SQLite the transaction's write lock stands in
    for the row lock."""
    manager = type(obj)._default_manager
    return manager.select_related(*related).select_for_update(of=("self",)).get(pk=obj.pk)


def require_permission(by, perm: str, obj: models.Model | None = None, *, message: str) -> None:
    """``by`` is an active, signed-in user holding ``perm`` — on ``obj`` when given, which
    the role backend grants only when ``obj`` is within the user's scope; else
    ``PermissionDenied(message)``."""
    if (
        by is None
        or not getattr(by, "is_authenticated", False)
        or not by.is_active
        or not by.has_perm(perm, obj)
    ):
        raise PermissionDenied(message)


def state_label(obj: models.Model, value: str, field: str = "state") -> str:
    """The label of the state ``value`` of ``obj``'s model, as people read it."""
    choices = dict(obj._meta.get_field(field).flatchoices)  # type: ignore[union-attr]
    return str(choices.get(value, value))


def require_state(obj: models.Model, allowed: Iterable[str], *, action: str) -> None:
    """``obj`` is in one of the ``allowed`` states; else a ``ValidationError`` saying what
    ``action`` needs and what state the record is in, and that nothing changed."""
    allowed = list(allowed)
    current = obj.state  # type: ignore[attr-defined]
    if current in allowed:
        return
    raise ValidationError(
        _(
            "%(action)s is possible only while the %(model)s is “%(allowed)s”; “%(name)s” is "
            "“%(state)s”. Nothing was changed."
        )
        % {
            "action": action,
            "model": obj._meta.verbose_name,
            "allowed": "”, “".join(state_label(obj, s) for s in allowed),
            "name": obj,
            "state": state_label(obj, current),
        }
    )
