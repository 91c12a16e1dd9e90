"""Forms for person records and for revealing a full ID or phone number.

Choices of township and village come from ``accounts.scoping.scoped``: a user can only file
a person under places they may see.
"""

from typing import cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.scoping import scoped
from core.education import Education
from core.forms import NormalisedForm
from core.identity import normalise_mobile, parse_id_number, validate_mobile
from organisation.models import Township, Village
from people.models import IdentityAccess, Person


def _label(name: str) -> str:
    field = Person._meta.get_field(name)
    return capfirst(getattr(field, "verbose_name", name))


class PersonForm(NormalisedForm):
    """Create (with the ID number) or edit (without it) a person's record.

    On edit the phone field starts empty: the stored number is never printed into the page
    (seeing it needs ``people.view_full_identity`` and leaves a log row). Leaving it empty keeps
    the number on file.
    """

    name = forms.CharField(label=_label("name"), max_length=64)
    id_number = forms.CharField(
        label=_label("id_number"),
        max_length=24,
        help_text=_("18 characters; a final lower-case x is accepted and stored as X."),
    )
    phone = forms.CharField(label=_label("phone"), max_length=20)
    # Starts blank: a new record must not be filed as 小学及以下 because nobody chose.
    education = forms.ChoiceField(
        label=_label("education"), choices=[("", "---------"), *Education.choices]
    )
    school = forms.CharField(label=_label("school"), max_length=128, required=False)
    graduation_year = forms.IntegerField(
        label=_label("graduation_year"),
        required=False,
        min_value=1950,
        max_value=2100,
    )
    household_registration = forms.CharField(
        label=_label("household_registration"),
        max_length=200,
        help_text=Person._meta.get_field("household_registration").help_text,
    )
    township = forms.ModelChoiceField(label=_label("township"), queryset=Township.objects.none())
    village = forms.ModelChoiceField(
        label=_label("village"), queryset=Village.objects.none(), required=False
    )
    reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=500,
        required=False,
        help_text=_("Kept in the audit log with the change."),
    )

    def __init__(self, *args, user, person: Person | None = None, **kwargs):
        self.user = user
        self.person = person
        if person is not None:
            kwargs.setdefault(
                "initial",
                {
                    "name": person.name,
                    "education": person.education,
                    "school": person.school,
                    "graduation_year": person.graduation_year,
                    "household_registration": person.household_registration,
                    "township": person.township_id,
                    "village": person.village_id,
                },
            )
        super().__init__(*args, **kwargs)
        township_field = cast(forms.ModelChoiceField, self.fields["township"])
        village_field = cast(forms.ModelChoiceField, self.fields["village"])
        township_field.queryset = scoped(Township.objects.all(), user).order_by("name_pinyin")
        village_field.queryset = scoped(Village.objects.select_related("township"), user).order_by(
            "township__name_pinyin", "township", "name_pinyin"
        )
        if person is not None:
            del self.fields["id_number"]
            phone = self.fields["phone"]
            phone.required = False
            phone.help_text = _(
                "On file: %(masked)s. Leave empty to keep it; type a new number to change it."
            ) % {"masked": person.masked_phone}
        else:
            del self.fields["reason"]

    def clean_id_number(self) -> str:
        facts = parse_id_number(self.cleaned_data["id_number"])
        if Person.objects.filter(id_number=facts.number).exists():
            raise ValidationError(
                _("A person with this ID number is already on file."), code="unique"
            )
        return facts.number

    def clean_phone(self) -> str:
        value = normalise_mobile(self.cleaned_data.get("phone", ""))
        if not value and self.person is not None:
            return ""
        validate_mobile(value)
        return value

    def clean(self):
        cleaned = super().clean() or {}
        township, village = cleaned.get("township"), cleaned.get("village")
        if township and village and village.township_id != township.pk:
            self.add_error(
                "village",
                gettext("%(village)s is not in %(township)s.")
                % {"village": village.name, "township": township.name},
            )
        return cleaned

    def service_fields(self) -> dict:
        """The cleaned values as keyword arguments for person_create / person_update."""
        data = dict(self.cleaned_data)
        data.pop("reason", None)
        if self.person is not None and not data.get("phone"):
            data.pop("phone", None)
        return data

    def add_service_error(self, error: ValidationError) -> None:
        """Attach a service's ValidationError to the fields it names, the rest to the form."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for field, errors in error.error_dict.items():
            self.add_error(field if field in self.fields else None, errors)


class RevealForm(NormalisedForm):
    """Why the user needs to see a full number; the reason goes into the access log."""

    field = forms.ChoiceField(
        label=_("Number to show"),
        choices=IdentityAccess.Field.choices,
        initial=IdentityAccess.Field.ID_NUMBER,
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        help_text=_("Recorded with your name and the time, e.g. “filling in the filing form”."),
        error_messages={"required": _("Say why you need the full number.")},
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError(_("Say why you need the full number."), code="required")
        return reason
