"""Forms of the recruitment flow's task views. Each only collects what its service needs.

A step that cannot be undone (cancelling a campaign, closing the public notice, confirming
the hires, stopping a process) asks for a ticked "I confirm …" box, so that the question is
asked with and without JavaScript, and the refusal names the box.
"""

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
    confirm_cancel = forms.BooleanField(
        label=_("I confirm that not approving cancels the campaign, which cannot be undone."),
        label_suffix="",
        required=False,
        help_text=_("Tick it only when the campaign is not approved."),
    )

    def clean(self):
        cleaned = super().clean() or {}
        if cleaned.get("decision") == self.REJECT:
            if not (cleaned.get("reason") or "").strip():
                self.add_error(
                    "reason",
                    _("Give the reason for not approving; it is recorded with the campaign."),
                )
            if not cleaned.get("confirm_cancel"):
                self.add_error(
                    "confirm_cancel",
                    _("Tick the box to confirm that the campaign is cancelled."),
                )
        return cleaned


def confirmation(label):
    """A required "I confirm …" box."""
    return forms.BooleanField(
        label=label,
        label_suffix="",
        required=True,
        error_messages={"required": _("Tick the box to confirm this step; it cannot be undone.")},
    )


class FinishForm(NormalisedForm):
    """A step that is finished with one button; the service checks that it may be."""


class NoticeCloseForm(NormalisedForm):
    """Closing the public notice: afterwards no objection can be recorded."""

    confirm = confirmation(
        _(
            "I confirm that the public notice is closed: no objection can be recorded "
            "afterwards, which cannot be undone."
        )
    )


class HiresForm(NormalisedForm):
    """The start date of the new directors' contracts."""

    start_date = forms.DateField(
        label=_("Contract start date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The first day of the three-year term; the end date is computed."),
    )
    confirm = confirmation(
        _(
            "I confirm the hires: hiring notices, contracts and letters are issued, which "
            "cannot be undone."
        )
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


class ProcessCancelForm(NormalisedForm):
    """An administrator stops a campaign and its process."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept with the campaign and in its history."),
    )
    confirm = confirmation(
        _(
            "I confirm that the campaign is cancelled and its open tasks are closed, which "
            "cannot be undone."
        )
    )
