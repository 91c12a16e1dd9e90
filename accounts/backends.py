"""Authentication backend that grants permissions by role."""

from django.contrib.auth.backends import ModelBackend

from accounts.constants import ROLE_PERMISSIONS


class RoleBackend(ModelBackend):
    """Django's model backend plus the permissions that come with the user's role.

    Individual permissions granted in the admin (for example ``people.view_full_identity``
    to one township officer) still apply.
    """

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        perms = set(super().get_all_permissions(user_obj, obj))
        return perms | set(ROLE_PERMISSIONS.get(getattr(user_obj, "role", ""), ()))
