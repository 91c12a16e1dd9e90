"""Authentication backend that grants permissions by role."""

from django.contrib.auth.backends import ModelBackend

from accounts.constants import ROLE_PERMISSIONS, Role
from accounts.scoping import can_see

# Permission strings scoped to one township or county, used by the recruitment flow
# (workflows.flows) as task permissions: a task of township 7 asks for
# "workflows.township_committee@7", so only that township's committee sees it in the queue and
# may take it. No Permission rows exist for them; this backend grants them by role and scope.
TOWNSHIP_COMMITTEE_PERMISSION = "workflows.township_committee@{township_id}"
TOWNSHIP_HEAD_PERMISSION = "workflows.township_head@{township_id}"
COUNTY_HR_PERMISSION = "workflows.county_hr@{county_id}"
# The monthly assessment's scoring task (workflows.flows_month) waits for the township office.
TOWNSHIP_OFFICE_PERMISSION = "workflows.township_office@{township_id}"
HEAD_PREFIX = TOWNSHIP_HEAD_PERMISSION.split("{", 1)[0]


def _heads_own_township(user_obj) -> bool:
    """Whether the user heads the recruitment leading group of their township (one query)."""
    return user_obj.headed_townships.filter(pk=user_obj.township_id).exists()


def scoped_permissions(user_obj, *, with_head: bool = True) -> set[str]:
    """The township- or county-scoped task permissions of ``user_obj``."""
    role = getattr(user_obj, "role", "")
    if role == Role.TOWNSHIP_COMMITTEE and user_obj.township_id:
        perms = {TOWNSHIP_COMMITTEE_PERMISSION.format(township_id=user_obj.township_id)}
        # The head of the leading group approves the township's announcements.
        if with_head and _heads_own_township(user_obj):
            perms.add(TOWNSHIP_HEAD_PERMISSION.format(township_id=user_obj.township_id))
        return perms
    if role == Role.TOWNSHIP_OFFICE and user_obj.township_id:
        return {TOWNSHIP_OFFICE_PERMISSION.format(township_id=user_obj.township_id)}
    if role == Role.COUNTY_HR and user_obj.county_id:
        return {COUNTY_HR_PERMISSION.format(county_id=user_obj.county_id)}
    return set()


def holders_of(permission: str | None):
    """The active users who hold the township- or county-scoped task permission
    ``permission`` (the inverse of ``scoped_permissions``): those who may take a task waiting
    in that queue. None for any other permission."""
    from accounts.models import User

    users = User.objects.filter(is_active=True)
    if (pk := _scope_of(permission, TOWNSHIP_COMMITTEE_PERMISSION)) is not None:
        return users.filter(role=Role.TOWNSHIP_COMMITTEE, township_id=pk)
    if (pk := _scope_of(permission, TOWNSHIP_HEAD_PERMISSION)) is not None:
        return users.filter(role=Role.TOWNSHIP_COMMITTEE, township_id=pk, headed_townships=pk)
    if (pk := _scope_of(permission, TOWNSHIP_OFFICE_PERMISSION)) is not None:
        return users.filter(role=Role.TOWNSHIP_OFFICE, township_id=pk)
    if (pk := _scope_of(permission, COUNTY_HR_PERMISSION)) is not None:
        return users.filter(role=Role.COUNTY_HR, county_id=pk)
    return users.none()


def _scope_of(permission: str | None, template: str) -> int | None:
    """The id ``permission`` is ``template`` formatted with, if it is."""
    prefix = template.split("{", 1)[0]
    rest = (permission or "")[len(prefix) :]
    if permission and permission.startswith(prefix) and rest.isdigit():
        return int(rest)
    return None


class RoleBackend(ModelBackend):
    """Django's model backend plus the permissions that come with the user's role.

    Individual permissions granted in the admin (for example ``people.view_full_identity``
    to one township officer) still apply.

    ``has_perm`` looks the leading-group head up only when asked for the head's permission,
    so that ordinary pages do not pay a query for it; ``get_all_permissions`` (the flow's
    task queue) includes it.
    """

    def _role_permissions(self, user_obj) -> set[str]:
        if not hasattr(user_obj, "_role_perm_cache"):
            # Cached on the user object for the request, like ModelBackend's own cache.
            user_obj._role_perm_cache = set(
                ROLE_PERMISSIONS.get(getattr(user_obj, "role", ""), ())
            ) | scoped_permissions(user_obj, with_head=False)
        return user_obj._role_perm_cache

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        perms = set(super().get_all_permissions(user_obj, obj)) | self._role_permissions(user_obj)
        if getattr(user_obj, "role", "") == Role.TOWNSHIP_COMMITTEE and self._is_head(user_obj):
            perms.add(TOWNSHIP_HEAD_PERMISSION.format(township_id=user_obj.township_id))
        return perms

    def _is_head(self, user_obj) -> bool:
        return user_obj.heads_leading_group  # cached on the user object for the request

    def has_perm(self, user_obj, perm, obj=None):
        """The permission, from the role, the scoped task permissions or a grant in the admin.

        On a record (``obj``), the permission holds only for records within the user's scope
        (``accounts.scoping``): a committee member runs the campaigns of their own township.
        A record whose model declares no ``scope_paths`` grants nothing.
        """
        if not user_obj.is_active or user_obj.is_anonymous:
            return False
        if obj is not None:
            return (
                hasattr(type(obj), "scope_paths")
                and self.has_perm(user_obj, perm)
                and can_see(user_obj, obj)
            )
        if perm.startswith(HEAD_PREFIX):
            return (
                getattr(user_obj, "role", "") == Role.TOWNSHIP_COMMITTEE
                and perm == TOWNSHIP_HEAD_PERMISSION.format(township_id=user_obj.township_id)
                and self._is_head(user_obj)
            )
        if perm in self._role_permissions(user_obj):
            return True
        return perm in super().get_all_permissions(user_obj, obj)
