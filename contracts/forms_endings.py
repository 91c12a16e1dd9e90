"""Forms of the resignation, termination and dismissal pages (``contracts.views_endings``).
Each one collects what one service takes; the service checks the rules and its refusals are
shown on the form, by field."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from contracts.constants import TERMINATION_REASONS, CaseDecision, EndReason
from contracts.models import DismissalGround
from core.forms import NormalisedForm
from organisation.models import Village

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ResignationRequestForm(NormalisedForm):
    reason = forms.CharField(
        label=_("Reason for resigning"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        required=False,
    )
    wished_end_date = forms.DateField(
        label=_("Last day wished (optional)"), required=False, widget=DATE
    )


class ResignationAcceptForm(NormalisedForm):
    end_date = forms.DateField(label=_("Last day of service"), widget=DATE)
    agreed_earlier = forms.BooleanField(
        label=_("Both parties agreed on an earlier end than the notice allows"), required=False
    )


class TerminationForm(NormalisedForm):
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=[(r.value, r.label) for r in EndReason if r in TERMINATION_REASONS],
        widget=forms.RadioSelect,
    )
    on = forms.DateField(label=_("Last day of service"), widget=DATE)
    note = forms.CharField(
        label=_("The township's decision and its grounds"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class CaseOpenForm(NormalisedForm):
    grounds = forms.ModelMultipleChoiceField(
        label=_("Grounds for dismissal"),
        queryset=DismissalGround.objects.order_by("position"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    period = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)
    summary = forms.CharField(
        label=_("Facts"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )
    evidence_text = forms.CharField(
        label=_("Evidence (description)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        required=False,
    )
    evidence_files = MultipleFileField(
        label=_("Evidence files (PDF, JPEG or PNG, at most 5 MB each)"), required=False
    )


class CaseHearForm(NormalisedForm):
    statement = forms.CharField(
        label=_("The director's written statement"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=8000,
        required=False,
    )
    declined = forms.BooleanField(
        label=_("The director gave no statement by the date it was due"), required=False
    )


class CaseDecideForm(NormalisedForm):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=CaseDecision.choices, widget=forms.RadioSelect
    )
    reasons = forms.CharField(
        label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )


class BirthRecordForm(NormalisedForm):
    village = forms.ModelChoiceField(label=_("Village"), queryset=Village.objects.none())
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)
    violations = forms.IntegerField(label=_("Births against the rule"), min_value=0, max_value=999)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, villages=None, **kwargs):
        super().__init__(*args, **kwargs)
        if villages is not None:
            self.fields["village"].queryset = villages  # type: ignore[attr-defined]


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """A service's refusal on the form: by field where it names one."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            target = field if field in form.fields else None
            if field == "evidence":
                target = "evidence_files"
            if field == "on" and "on" not in form.fields:
                target = None
            for message in errors:
                form.add_error(target, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)
