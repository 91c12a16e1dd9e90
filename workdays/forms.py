"""Forms of the working-day calendar pages."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.forms import NormalisedForm
from workdays.models import DayOverride


class DayOverrideForm(NormalisedForm):
    date = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    is_working_day = forms.TypedChoiceField(
        label=_("The day is"),
        choices=[
            ("0", _("a holiday or rest day (放假)")),
            ("1", _("a make-up working day (调休上班)")),
        ],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    name = forms.CharField(
        label=pgettext_lazy("holiday", "Name"),
        max_length=64,
        help_text=DayOverride._meta.get_field("name").help_text,
    )
    reason = forms.CharField(
        label=_("Source or reason"),
        max_length=500,
        required=False,
        help_text=_("e.g. the State Council notice of the year's holidays; kept in the audit log."),
    )

    @classmethod
    def for_override(cls, override: DayOverride, data=None) -> "DayOverrideForm":
        return cls(
            data,
            initial={
                "date": override.date,
                "is_working_day": "1" if override.is_working_day else "0",
                "name": override.name,
            },
        )

    def service_fields(self) -> dict:
        return {
            "date": self.cleaned_data["date"],
            "is_working_day": self.cleaned_data["is_working_day"],
            "name": self.cleaned_data["name"],
            "reason": self.cleaned_data.get("reason", ""),
        }

    def add_service_error(self, error) -> None:
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for field, errors in error.error_dict.items():
            self.add_error(field if field in self.fields else None, errors)


class DeleteForm(NormalisedForm):
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)
