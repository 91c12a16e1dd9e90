from django.conf import settings
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm, UsernameField
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.services import FIELDS, M2M_FIELDS, user_create, user_update
from core.admin import SearchAdmin
from core.forms import NormalisedFormMixin
from workflows.services import tasks_release_unheld

ROLE_FIELDS = ("role", "county", "township", "village", "person")


class UserCreationAdminForm(NormalisedFormMixin, AdminUserCreationForm):
    """New accounts are created with their role and scope. As a ModelForm it runs
    ``User.clean()``, which refuses a township role without a township, a village outside the
    township, a director without a person record, and so on."""

    class Meta:
        model = User
        fields = ("username", "first_name", "last_name", "email", *ROLE_FIELDS)
        field_classes = {"username": UsernameField}


class UserChangeAdminForm(NormalisedFormMixin, UserChangeForm):
    """Same checks (``User.clean()``) on every change of role or scope."""

    class Meta:
        model = User
        fields = "__all__"
        field_classes = {"username": UsernameField}


@admin.register(User)
class UserAdmin(SearchAdmin, DjangoUserAdmin):
    form = UserChangeAdminForm
    add_form = UserCreationAdminForm
    list_display = (
        "username",
        "display_name",
        "role_label",
        "county",
        "township",
        "village",
        "is_active",
        "last_login",
    )
    list_filter = ("role", "is_active", "county", "township")
    list_select_related = ("county", "township", "village")
    search_fields = ("username", "first_name", "last_name", "email")
    autocomplete_fields = ("person",)
    # is_staff and is_superuser follow the role (User.save): only administrators reach here.
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        (_("Role and scope"), {"fields": ROLE_FIELDS}),
        (
            _("Extra permissions"),
            {
                "fields": ("is_active", "user_permissions"),
                "description": _(
                    "Permissions come with the role. Grant extra ones here only, e.g. "
                    "“Can view full ID and phone numbers” to one township officer."
                ),
            },
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "usable_password", "password1", "password2"),
            },
        ),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        (_("Role and scope"), {"fields": ROLE_FIELDS}),
    )
    readonly_fields = ("last_login", "date_joined")
    filter_horizontal = ("user_permissions",)

    @admin.display(description=_("name"))
    def display_name(self, obj: User) -> str:
        return obj.display_name

    @admin.display(description=_("role"), ordering="role")
    def role_label(self, obj: User) -> str:
        return obj.role_label

    # Saving goes through accounts.services, which records every change of role, scope,
    # active flag, groups and permissions in the audit trail. A change is saved whole in
    # save_related, once the groups and permissions of the form are known, so that one audit
    # entry shows all of it; the admin wraps the request in one transaction.

    @staticmethod
    def _reason() -> str:
        with translation.override(settings.LANGUAGE_CODE):
            return gettext("Changed in the administration site")

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            user_create(user=obj, by=request.user, reason=self._reason())

    def save_related(self, request, form, formsets, change) -> None:
        if not change:
            super().save_related(request, form, formsets, change)
            return
        data = form.cleaned_data
        changes = {name: data[name] for name in form.changed_data if name in FIELDS}
        m2m = {name: data[name] for name in M2M_FIELDS if name in data}
        form.instance = user_update(
            user=form.instance, by=request.user, reason=self._reason(), **changes, **m2m
        )
        # Tasks of a township, role or scope the user no longer has go back to its pool.
        tasks_release_unheld(user=form.instance, by=request.user)
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)
