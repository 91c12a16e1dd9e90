"""Forms of the public applicant pages. They check shapes only; the rules (dates, age,
education, duplicates, uploads) are checked by ``recruitment.services.applications``, whose
errors the views put back on these forms."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.education import Education
from core.forms import NormalisedForm
from core.identity import normalise_id_number, normalise_mobile
from recruitment.models import Campaign, CampaignPost


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; cleans to a list (empty when optional and none given)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            files = [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        elif data:
            files = [super().clean(data, initial)]
        else:
            files = []
        if self.required and not files:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return files


class OfferChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: CampaignPost) -> str:
        return _("%(village)s (%(seats)s posts)") % {
            "village": obj.village.name,
            "seats": obj.seats,
        }


class ApplicationForm(NormalisedForm):
    offer = OfferChoiceField(
        label=_("Village applied for"),
        queryset=CampaignPost.objects.none(),
        empty_label=_("Choose a village"),
    )
    name = forms.CharField(label=_("Name"), max_length=64)
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=18,
        help_text=_("18 characters, as on your resident ID card. Your age is counted from it."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
    )
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=13,
        help_text=_("With your ID number it lets you check your status and download papers."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    education = forms.ChoiceField(
        label=_("Highest education"), choices=[("", "---------"), *Education.choices]
    )
    school = forms.CharField(label=_("School graduated from"), max_length=128)
    graduation_year = forms.IntegerField(
        label=_("Graduation year"),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    household_registration = forms.CharField(
        label=_("Household registration (户籍)"),
        max_length=200,
        help_text=_("As in your household register, e.g. 贵州省关岭自治县关索街道."),
    )
    photo = forms.FileField(
        label=_("Photo"),
        help_text=_("A recent front-facing photo: JPEG or PNG, at most 2 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
    )
    education_certificate = MultipleFileField(
        label=_("Education certificate"),
        help_text=_("A scan or photo of your diploma: PDF, JPEG or PNG, at most 5 MB each."),
        widget=MultipleFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )
    other = MultipleFileField(
        label=_("Other certificates"),
        required=False,
        help_text=_(
            "Optional: ID card, household register or others the announcement asks for. "
            "At most 5 scans in all."
        ),
        widget=MultipleFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )
    pledge = forms.BooleanField(
        label=_("I confirm that the information and files I submit are true and complete."),
    )

    def __init__(self, *args, campaign: Campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        offers = campaign.offers.select_related("village").order_by("village__name_pinyin", "pk")
        self.fields["offer"].queryset = offers  # type: ignore[attr-defined]

    def clean_id_number(self) -> str:
        return normalise_id_number(self.cleaned_data["id_number"])

    def clean_phone(self) -> str:
        return normalise_mobile(self.cleaned_data["phone"])

    def service_data(self) -> dict:
        return {
            name: self.cleaned_data.get(name)
            for name in (
                "name",
                "id_number",
                "phone",
                "education",
                "school",
                "graduation_year",
                "household_registration",
            )
        }

    def service_files(self) -> dict:
        return {
            "photo": self.cleaned_data.get("photo"),
            "education_certificate": self.cleaned_data.get("education_certificate") or [],
            "other": self.cleaned_data.get("other") or [],
        }


class LookupForm(NormalisedForm):
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=24,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    phone = forms.CharField(
        label=_("Mobile phone used to register"),
        max_length=16,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
