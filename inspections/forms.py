"""Forms of the inspection pages (``inspections.views``)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.constants import Role
from accounts.models import User
from core.forms import NormalisedForm
from organisation.models import Township


class ServiceErrors:
    def add_service_error(self, error) -> None:
        """Attach the service's ValidationError to the fields it names, the rest to the form."""
        form: forms.Form = self  # type: ignore[assignment]
        if not hasattr(error, "error_dict"):
            form.add_error(None, error)
            return
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)


class LeaderChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.display_name


class PlanForm(ServiceErrors, NormalisedForm):
    """Plan an inspection day: the township (when the user has more than one), the date, the
    leader and the team."""

    township = forms.ModelChoiceField(label=_("Township"), queryset=Township.objects.none())
    date = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    leader = LeaderChoiceField(
        label=_("Inspection leader"),
        queryset=User.objects.none(),
        help_text=_("Only the leader sees the drawn villages before the day ends."),
    )
    team = forms.CharField(
        label=_("Team"),
        max_length=200,
        help_text=_("The inspectors' names, separated by commas."),
    )

    def __init__(self, *args, townships, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = townships  # type: ignore[attr-defined]
        if townships.count() == 1:
            self.fields["township"].initial = townships.first()
        self.fields["leader"].queryset = (  # type: ignore[attr-defined]
            User.objects.filter(
                role=Role.TOWNSHIP_OFFICE, township__in=townships, is_active=True
            ).order_by("last_name", "first_name", "pk")
        )
        self.fields["date"].initial = timezone.localdate()


class RecordForm(ServiceErrors, NormalisedForm):
    findings = forms.CharField(
        label=_("Findings"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
    observations = forms.CharField(
        label=_("Observations by item"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        required=False,
        help_text=_("Optional: what was seen for each scoring item."),
    )
    inspectors = forms.CharField(label=_("Inspectors who sign"), max_length=200)


class CorrectionForm(RecordForm):
    reason = forms.CharField(
        label=_("Reason for the correction"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        required=False,  # the service says why a reason is needed, on this field
    )
