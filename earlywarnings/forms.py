"""Forms of the warnings pages (``earlywarnings.views``): each collects what one service
takes; the service checks the rules and its refusals are shown on the form, by field."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from contracts.models import Contract
from core.forms import NormalisedForm
from earlywarnings.constants import WarningRule, WarningState
from organisation.models import Township


class AcknowledgeForm(NormalisedForm):
    response = forms.CharField(
        label=_("The director's response"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        required=False,
    )


class CloseForm(NormalisedForm):
    note = forms.CharField(
        label=_("How the warning was followed up"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        required=False,
    )


class WarningFilterForm(NormalisedForm):
    rule = forms.ChoiceField(
        label=_("Rule"), choices=[("", _("All rules")), *WarningRule.choices], required=False
    )
    state = forms.ChoiceField(
        label=_("State"), choices=[("", _("All states")), *WarningState.choices], required=False
    )


class DirectorChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.person.name}（{obj.township.name}{obj.post.village.name}）"


TARGETS = [("township", _("A township")), ("director", _("A director"))]


class YellowCardForm(NormalisedForm):
    target = forms.ChoiceField(label=_("Given to"), choices=TARGETS, widget=forms.RadioSelect)
    township = forms.ModelChoiceField(
        label=_("Township"), queryset=Township.objects.none(), required=False
    )
    contract = DirectorChoice(label=_("Director"), queryset=Contract.objects.none(), required=False)
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 5}), max_length=2000
    )

    def __init__(self, *args, townships, contracts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = townships  # type: ignore[attr-defined]
        self.fields["contract"].queryset = contracts  # type: ignore[attr-defined]

    def clean(self):
        data = super().clean() or {}
        target = data.get("target")
        if target == "township" and not data.get("township"):
            self.add_error("township", _("Choose the township the yellow card is given to."))
        if target == "director" and not data.get("contract"):
            self.add_error("contract", _("Choose the director the yellow card is given to."))
        if target == "township" and data.get("contract"):
            raise ValidationError(
                _("A yellow card is given to a township or to a director, exactly one of them.")
            )
        if target == "director" and data.get("township"):
            raise ValidationError(
                _("A yellow card is given to a township or to a director, exactly one of them.")
            )
        return data
