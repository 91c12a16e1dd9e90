"""Forms for mending a mistake: the score of an applicant marked absent by mistake, and an
application withdrawn by its applicant on the public status page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import NormalisedForm
from recruitment.forms_campaign import ServiceErrorsMixin


class AbsenceMendForm(ServiceErrorsMixin, NormalisedForm):
    """The written score of an applicant marked absent by mistake, and why."""

    score = forms.CharField(
        label=_("Written score"),
        max_length=16,
        help_text=_("From 0 to 100, with at most two decimals, as on the room's score sheet."),
    )
    reason = forms.CharField(
        label=_("Why the absence was a mistake"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("e.g. the candidate sat the exam in room 02 but was ticked absent in room 01."),
    )


class WithdrawalForm(NormalisedForm):
    """The applicant confirms withdrawing one application."""

    confirm = forms.BooleanField(
        label=_("I withdraw this application and will not take part in the exam."),
        required=True,
        error_messages={"required": _("Tick the box to confirm the withdrawal.")},
    )
