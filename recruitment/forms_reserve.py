"""The reserve call and refill forms of the vacancy page (``contracts.views_vacancies``)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contracts.constants import OfferAnswer
from core.forms import NormalisedForm
from recruitment.constants import CampaignState
from recruitment.forms_campaign import ServiceErrorsMixin
from recruitment.models import Campaign


class AnswerForm(ServiceErrorsMixin, NormalisedForm):
    answer = forms.ChoiceField(
        label=_("Answer"),
        choices=[
            (OfferAnswer.ACCEPTED, _("Accepted: hire and draft the contract")),
            (OfferAnswer.DECLINED, _("Declined the offer")),
        ],
        widget=forms.RadioSelect,
    )
    on = forms.DateField(
        label=_("Answered on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()

    @property
    def accepted(self) -> bool:
        return self.cleaned_data["answer"] == OfferAnswer.ACCEPTED


class CampaignChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.title}（{obj.get_state_display()}）"


class RefillCampaignForm(ServiceErrorsMixin, NormalisedForm):
    """A running campaign of the township that offers the vacant post's village."""

    campaign = CampaignChoiceField(label=_("Refill campaign"), queryset=Campaign.objects.none())

    def __init__(self, *args, vacancy, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = (  # type: ignore[attr-defined]
            Campaign.objects.filter(
                township_id=vacancy.township_id, offers__village_id=vacancy.post.village_id
            )
            .exclude(state__in=[CampaignState.CANCELLED, CampaignState.CONCLUDED])
            .order_by("-created_at", "-pk")
            .distinct()
        )
