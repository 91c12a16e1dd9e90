"""The township committee's renewal decision form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import NormalisedForm
from recruitment.forms_campaign import ServiceErrorsMixin

RENEW, NOT_RENEW = "renew", "not_renew"


class RenewalDecisionForm(ServiceErrorsMixin, NormalisedForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (RENEW, _("Renew for a new term")),
            (NOT_RENEW, _("Do not renew: the contract ends on its end date")),
        ],
        widget=forms.RadioSelect,
    )
    reselected = forms.BooleanField(
        label=_("The director was re-selected under the same conditions and procedure"),
        required=False,
    )
    reasons = forms.CharField(
        label=_("Reasons"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Printed on the renewal notice when the contract is renewed."),
    )

    def __init__(self, *args, reselection: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not reselection:
            del self.fields["reselected"]

    @property
    def renew(self) -> bool:
        return self.cleaned_data["decision"] == RENEW
