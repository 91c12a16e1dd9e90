"""The acting designation form of the vacancy page (``contracts.views_vacancies``); the
reserve and refill forms are recruitment's (``recruitment.forms_reserve``)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import NormalisedForm
from people.models import Person


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        village = obj.village.name if obj.village_id else ""
        return (
            f"{obj.name}（{village}，{obj.masked_id_number}）"
            if village
            else (f"{obj.name}（{obj.masked_id_number}）")
        )


class ActingForm(NormalisedForm):
    """Who acts for the vacant post, from when. The choices are the township's people, in
    pinyin order."""

    person = PersonChoiceField(
        label=_("Acting person"),
        queryset=Person.objects.none(),
        error_messages={
            "invalid_choice": _(
                "Choose someone on the records of the vacant post's township: an acting person "
                "from another township cannot be designated."
            )
        },
    )
    on = forms.DateField(
        label=_("Acting from"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, vacancy, **kwargs):
        super().__init__(*args, **kwargs)
        # Not the director whose contract ended, nor who already acts for this post.
        ended = vacancy.ended_contract
        excluded = [
            pk
            for pk in (ended.person_id if ended else None, vacancy.acting_person_id)
            if pk is not None
        ]
        self.fields["person"].queryset = (  # type: ignore[attr-defined]
            Person.objects.filter(township_id=vacancy.township_id)
            .exclude(pk__in=excluded)
            .select_related("village")
            .order_by("name_pinyin", "pk")
        )
        self.fields["on"].initial = timezone.localdate()

    def add_service_error(self, error) -> None:
        """Attach the service's ValidationError to the fields it names, the rest to the form."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for name, errors in error.error_dict.items():
            self.add_error(name if name in self.fields else None, errors)
