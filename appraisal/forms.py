"""Forms of the appraisal pages; the services check every rule again."""

from django import forms
from django.utils.translation import gettext_lazy as _

from appraisal.constants import RATING_KEYS
from core.forms import NormalisedForm
from policy.models import APPRAISAL_RATINGS


def _points(label, required=True):
    return forms.DecimalField(
        label=label,
        min_value=0,
        max_value=100,
        decimal_places=2,
        max_digits=5,
        required=required,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )


class RatingForm(NormalisedForm):
    """The six year-end ratings (0–100) of a director, with the bonus and deduction."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key in RATING_KEYS:
            self.fields[key] = _points(APPRAISAL_RATINGS[key])
        self.fields["bonus"] = _points(_("Bonus points"), required=False)
        self.fields["bonus_reason"] = forms.CharField(
            label=_("Reason for the bonus"), max_length=300, required=False
        )
        self.fields["deduction"] = _points(_("Deduction points"), required=False)
        self.fields["deduction_reason"] = forms.CharField(
            label=_("Reason for the deduction"), max_length=300, required=False
        )
        self.fields["remarks"] = forms.CharField(label=_("Remarks"), max_length=500, required=False)

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "ratings": {key: data[key] for key in RATING_KEYS},
            "bonus": data.get("bonus") or 0,
            "bonus_reason": data.get("bonus_reason", ""),
            "deduction": data.get("deduction") or 0,
            "deduction_reason": data.get("deduction_reason", ""),
            "remarks": data.get("remarks", ""),
        }


class YearForm(NormalisedForm):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)


class SettleForm(NormalisedForm):
    settled_on = forms.DateField(
        label=_("Settled on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
