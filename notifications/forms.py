"""The notification settings form: for each category, in the app and by email."""

from django import forms
from django.utils.translation import gettext_lazy as _

from notifications.models import CATEGORY_HELP, Category, Choice


def field_names(category: str) -> tuple[str, str]:
    return f"{category}_in_app", f"{category}_email"


class PreferencesForm(forms.Form):
    """One pair of boxes per category, ticked as the user receives it now. Without an email
    address the email boxes are shown but cannot be ticked."""

    def __init__(self, *args, choices: dict[str, Choice], has_email: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.has_email = has_email
        for category in Category:
            in_app, email = field_names(category)
            self.fields[in_app] = forms.BooleanField(
                label=_("%(category)s in the app") % {"category": category.label},
                required=False,
                initial=choices[category].in_app,
            )
            self.fields[email] = forms.BooleanField(
                label=_("%(category)s by email") % {"category": category.label},
                required=False,
                initial=choices[category].email and has_email,
                disabled=not has_email,
            )

    def rows(self):
        """``(category, help, in-app field, email field)`` for the template's table."""
        for category in Category:
            in_app, email = field_names(category)
            yield category, CATEGORY_HELP[category], self[in_app], self[email]

    def chosen(self, current: dict[str, Choice]) -> dict[str, Choice]:
        """The choices as ticked; without an address the email choice stays as it was (the
        boxes were not there to untick)."""
        result = {}
        for category in Category:
            in_app, email = field_names(category)
            wants_email = self.cleaned_data[email] if self.has_email else current[category].email
            result[category.value] = Choice(in_app=self.cleaned_data[in_app], email=wants_email)
        return result
