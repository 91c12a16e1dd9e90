"""Creating and changing user accounts, each in the audit trail.

Accounts are managed in the Django admin (``accounts.admin.UserAdmin``), which calls these
services instead of saving the user itself. Every change of role, scope (county, township,
village, person), active flag, groups or individual permissions, as well as of the name,
username and e-mail, is one audit entry on the user with the values before → after in words a
clerk reads: role labels, names of places and people, "yes"/"no", names of groups and
permissions; never database ids.
"""

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.constants import Role
from accounts.models import User
from audit.models import AuditEntry
from audit.services import audit_record

# What an account change may touch, in the order the audit entry lists it.
FIELDS = (
    "username",
    "first_name",
    "last_name",
    "email",
    "role",
    "county",
    "township",
    "village",
    "person",
    "is_active",
)
M2M_FIELDS = ("groups", "user_permissions")
AUDITED = (*FIELDS, *M2M_FIELDS)

# Django's own permissions ("Can view person") are stored in English; these read in the
# user's language with the model's translated name.
DEFAULT_ACTIONS = {
    "add": lambda model: _("Can add %(model)s") % {"model": model},
    "change": lambda model: _("Can change %(model)s") % {"model": model},
    "delete": lambda model: _("Can delete %(model)s") % {"model": model},
    "view": lambda model: _("Can view %(model)s") % {"model": model},
}


def permission_label(permission: Permission) -> str:
    """A permission's name in the active language."""
    model = permission.content_type.model_class()
    action, _sep, model_name = permission.codename.partition("_")
    if model is not None and action in DEFAULT_ACTIONS and model_name == model._meta.model_name:
        return DEFAULT_ACTIONS[action](model._meta.verbose_name)
    # Custom permissions are declared with gettext_lazy names: their msgids are the names.
    return _(permission.name)


def _joined(names: Iterable[str]) -> str:
    return "、".join(sorted(names))


def user_state(user: User) -> dict[str, str]:
    """The audited values of ``user`` as text in the office's language (settings.LANGUAGE_CODE):
    an audit entry is evidence that keeps the words it was written with."""
    with translation.override(settings.LANGUAGE_CODE):
        state = {
            "username": user.username,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "role": str(Role(user.role).label) if user.role in Role.values else user.role,
            "county": user.county.name if user.county_id else "",
            "township": user.township.name if user.township else "",
            "village": str(user.village) if user.village else "",
            "person": str(user.person) if user.person else "",
            "is_active": _("Yes") if user.is_active else _("No"),
        }
        if user.pk is None:
            state["groups"] = state["user_permissions"] = ""
        else:
            state["groups"] = _joined(g.name for g in user.groups.all())
            state["user_permissions"] = _joined(
                permission_label(p) for p in user.user_permissions.select_related("content_type")
            )
    return state


def _changed(before: dict, after: dict) -> tuple[dict, dict]:
    keys = [k for k in AUDITED if before.get(k) != after.get(k)]
    return {k: before.get(k, "") for k in keys}, {k: after.get(k, "") for k in keys}


@transaction.atomic
def user_create(*, user: User, by, reason: str = "") -> User:
    """Save the new account ``user`` (built, with its password, by the admin's form) after
    ``User.clean()``'s checks of role and scope, and record it with its role and scope."""
    user.full_clean()
    user.save()
    state = user_state(user)
    audit_record(
        obj=user,
        action=AuditEntry.Action.CREATE,
        by=by,
        after={k: v for k, v in state.items() if v},
        reason=reason,
    )
    return user


@transaction.atomic
def user_update(
    *,
    user: User,
    by,
    reason: str = "",
    groups: Iterable[Group] | None = None,
    user_permissions: Iterable[Permission] | None = None,
    **changes,
) -> User:
    """Set ``changes`` (fields of ``FIELDS``) and, when given, the user's groups and individual
    permissions; check role and scope (``User.clean()``), save, and record one audit entry
    with every value that changed, before → after. Nothing changed, nothing recorded."""
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise ValueError(f"not changed here: {', '.join(sorted(unknown))}")
    account = User.objects.select_for_update().get(pk=user.pk)
    before = user_state(account)
    for name, value in changes.items():
        setattr(account, name, value)
    account.full_clean()
    account.save()
    if groups is not None:
        account.groups.set(groups)
    if user_permissions is not None:
        account.user_permissions.set(user_permissions)
    old, new = _changed(before, user_state(account))
    if new or old:
        audit_record(
            obj=account,
            action=AuditEntry.Action.UPDATE,
            by=by,
            before=old,
            after=new,
            reason=reason,
        )
    return account
