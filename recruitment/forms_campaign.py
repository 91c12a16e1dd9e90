"""Forms of the campaign pages: opening a campaign, recording and deciding objections.

``CampaignForm`` is used by the flow's start view (``workflows``), which passes its
``service_kwargs()`` to ``recruitment.services.campaigns.campaign_create``::

    form = CampaignForm(request.POST or None, township=township)
    if form.is_valid():
        try:
            campaign = campaign_create(township=township, by=request.user,
                                       **form.service_kwargs())
        except ValidationError as exc:
            form.add_service_error(exc)
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.forms import NormalisedForm
from core.text import in_brackets
from organisation.models import Village
from recruitment.constants import CampaignKind, ObjectionDecision
from recruitment.models import Application, Campaign
from recruitment.services.campaigns import vacant_posts_by_village

SEATS_PREFIX = "seats_"
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def _label(name: str):
    return Campaign._meta.get_field(name).verbose_name


def _date_widget():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _datetime_field(name: str, **kwargs) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=_label(name),
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
        **kwargs,
    )


class ServiceErrorsMixin:
    def add_service_error(self, error: ValidationError) -> None:
        """Attach a service's ValidationError to the fields it names, the rest to the form."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)  # type: ignore[attr-defined]
            return
        for field, errors in error.error_dict.items():
            target = field if field in self.fields else None  # type: ignore[attr-defined]
            self.add_error(target, errors)  # type: ignore[attr-defined]


class CampaignForm(ServiceErrorsMixin, NormalisedForm):
    """A new campaign of one township: title, kind, timetable, venue, enquiries, interview
    panel, and the number of posts offered in each village that has vacant posts (one
    ``seats_<village id>`` field each; 0 or empty offers none there)."""

    title = forms.CharField(label=_label("title"), max_length=200)
    kind = forms.ChoiceField(
        label=_label("kind"),
        choices=CampaignKind.choices,
        initial=CampaignKind.REGULAR,
        help_text=_("A refill (补聘) fills posts a director has left."),
    )
    registration_start = forms.DateField(label=_label("registration_start"), widget=_date_widget())
    registration_end = forms.DateField(
        label=_label("registration_end"),
        widget=_date_widget(),
        help_text=Campaign._meta.get_field("registration_end").help_text,
    )
    written_exam_at = _datetime_field("written_exam_at")
    interview_at = _datetime_field("interview_at")
    venue = forms.CharField(label=_label("venue"), max_length=200)
    contact = forms.CharField(
        label=_label("contact"),
        max_length=200,
        help_text=Campaign._meta.get_field("contact").help_text,
    )
    interview_panel_size = forms.TypedChoiceField(
        label=_label("interview_panel_size"),
        choices=[(n, str(n)) for n in range(3, 16, 2)],
        coerce=int,
        initial=5,
        help_text=Campaign._meta.get_field("interview_panel_size").help_text,
    )

    def __init__(self, *args, township, **kwargs):
        super().__init__(*args, **kwargs)
        self.township = township
        self.villages: dict[int, Village] = {}
        self.vacant: dict[int, int] = {}
        for village, posts in vacant_posts_by_village(township).items():
            self.villages[village.pk] = village
            self.vacant[village.pk] = len(posts)
            self.fields[f"{SEATS_PREFIX}{village.pk}"] = forms.IntegerField(
                label=village.name,
                min_value=0,
                max_value=len(posts),
                required=False,
                help_text=_("%(n)s vacant") % {"n": len(posts)},
                widget=forms.NumberInput(attrs={"min": 0, "max": len(posts)}),
            )

    def seat_fields(self) -> list:
        """(village, vacant posts, bound field) for the per-village table of the page."""
        return [
            (village, self.vacant[pk], self[f"{SEATS_PREFIX}{pk}"])
            for pk, village in self.villages.items()
        ]

    def main_fields(self) -> list:
        return [field for field in self if not field.name.startswith(SEATS_PREFIX)]

    def clean(self):
        cleaned = super().clean() or {}
        if not self.villages:
            raise ValidationError(
                gettext("%(township)s has no vacant post that another campaign does not offer.")
                % {"township": self.township}
            )
        if not self.offers():
            raise ValidationError(gettext("Offer at least one post in one village."))
        start, end = cleaned.get("registration_start"), cleaned.get("registration_end")
        if start and end and end < start:
            self.add_error(
                "registration_end",
                gettext("The registration deadline is before registration opens."),
            )
        written, interview = cleaned.get("written_exam_at"), cleaned.get("interview_at")
        if end and written and timezone.localdate(written) <= end:
            self.add_error(
                "written_exam_at",
                gettext("The written exam must come after the registration deadline."),
            )
        if written and interview and interview < written:
            self.add_error(
                "interview_at", gettext("The interview cannot come before the written exam.")
            )
        return cleaned

    def offers(self) -> list[tuple[Village, int]]:
        data = getattr(self, "cleaned_data", {})
        result = []
        for pk, village in self.villages.items():
            seats = data.get(f"{SEATS_PREFIX}{pk}")
            if seats:
                result.append((village, seats))
        return result

    def service_kwargs(self) -> dict:
        """Keyword arguments for ``campaign_create`` (add ``township`` and ``by``)."""
        data = self.cleaned_data
        return {
            "title": data["title"],
            "kind": data["kind"],
            "offers": self.offers(),
            "registration_start": data["registration_start"],
            "registration_end": data["registration_end"],
            "written_exam_at": data["written_exam_at"],
            "interview_at": data["interview_at"],
            "venue": data["venue"],
            "contact": data["contact"],
            "interview_panel_size": data["interview_panel_size"],
        }


class ObjectionForm(ServiceErrorsMixin, NormalisedForm):
    application = forms.ModelChoiceField(
        label=_("Proposed hire objected to"), queryset=Application.objects.none()
    )
    received_on = forms.DateField(
        label=_("Received on"), widget=_date_widget(), initial=timezone.localdate
    )
    lodged_by = forms.CharField(
        label=_("Lodged by"),
        max_length=100,
        required=False,
        help_text=_("Name or description of who raised it; may be anonymous."),
    )
    content = forms.CharField(
        label=_("What the objection says"), widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args, proposed, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["application"]
        field.queryset = proposed  # type: ignore[attr-defined]
        field.label_from_instance = lambda a: (  # type: ignore[attr-defined]
            f"{a.offer.village.name} · {a.name}{in_brackets(a.masked_id_number)}"
        )


class ObjectionDecisionForm(ServiceErrorsMixin, NormalisedForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (ObjectionDecision.UPHELD, _("Upheld: the candidate is not hired")),
            (ObjectionDecision.DISMISSED, _("Dismissed: the candidate stays proposed")),
        ],
        widget=forms.RadioSelect,
    )
    finding = forms.CharField(
        label=_("Finding"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What the committee found when it looked into the objection."),
    )

    @property
    def upheld(self) -> bool:
        return self.cleaned_data["decision"] == ObjectionDecision.UPHELD
