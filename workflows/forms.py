"""Forms of the recruitment flow's task views. Each only collects what its service needs."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import NormalisedForm


class ApprovalForm(NormalisedForm):
    """The head's decision on the draft announcement."""

    APPROVE = "approve"
    REJECT = "reject"

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (APPROVE, _("Approve: publish the announcement and open registration")),
            (REJECT, _("Do not approve: cancel the campaign")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the campaign is not approved; it is kept with the campaign."),
    )

    def clean(self):
        cleaned = super().clean() or {}
        if cleaned.get("decision") == self.REJECT and not (cleaned.get("reason") or "").strip():
            self.add_error(
                "reason", _("Give the reason for not approving; it is recorded with the campaign.")
            )
        return cleaned


class FinishForm(NormalisedForm):
    """A step that is finished with one button; the service checks that it may be."""


class HiresForm(NormalisedForm):
    """The start date of the new directors' contracts."""

    start_date = forms.DateField(
        label=_("Contract start date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The first day of the three-year term; the end date is computed."),
    )

    def __init__(self, *args, earliest: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.earliest = earliest

    def clean_start_date(self):
        value = self.cleaned_data["start_date"]
        if value < self.earliest:
            raise forms.ValidationError(
                _("The start date cannot be before %(date)s, the day after the public notice.")
                % {"date": self.earliest.isoformat()}
            )
        return value
