"""Forms of the monthly assessment's pages; each one's text goes through
``core.forms.NormalisedForm``."""

from django import forms
from django.utils.translation import gettext_lazy as _

from assessment.constants import ItemBasis, ItemKind, ItemNature
from core.forms import NormalisedForm


class OpenMonthForm(NormalisedForm):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    month = forms.IntegerField(label=_("Month"), min_value=1, max_value=12)


class ReopenForm(NormalisedForm):
    reason = forms.CharField(
        label=_("Reason for the correction"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        required=False,  # the service refuses an empty reason with its own message
    )


class SchemeForm(NormalisedForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class ItemForm(NormalisedForm):
    name = forms.CharField(label=_("Item"), max_length=100, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=ItemKind.choices)
    nature = forms.ChoiceField(label=_("Nature"), choices=ItemNature.choices)
    basis = forms.ChoiceField(label=_("Basis"), choices=ItemBasis.choices)
    max_points = forms.DecimalField(
        label=_("Most points"), max_digits=5, decimal_places=2, required=False, min_value=0
    )
    guidance = forms.CharField(label=_("How it is scored"), max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The items are a table whose column headings are the labels: each input carries its
        # own for screen readers ("第2项 分值").
        number = (self.prefix or "").rsplit("-", 1)[-1]
        row = _("Item %(n)s") % {"n": int(number) + 1} if number.isdigit() else ""
        for field in self.fields.values():
            field.widget.attrs["aria-label"] = f"{row} {field.label}".strip()


ItemFormSet = forms.formset_factory(ItemForm, extra=0, max_num=30, absolute_max=30)
