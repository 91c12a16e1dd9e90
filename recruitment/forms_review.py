"""Staff forms of the eligibility review: the checklist with the decision, the waiver request
and the waiver decision. The services (``recruitment.services.review``) check the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import NormalisedForm
from recruitment.constants import EligibilityRule
from recruitment.models import Application


class ReviewForm(NormalisedForm):
    """One row per rule (passed? reason), then the decision and a note.

    Rows start from the application's checks: the automatic ones from the submission (age,
    education, ID number); the rest (household, documents) start unticked so that the
    reviewer looks at the scans before ticking them.
    """

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("eligible", _("Eligible")), ("ineligible", _("Not eligible"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required for an ineligible decision; printed on the eligibility result."),
    )

    def __init__(self, *args, application: Application, **kwargs):
        super().__init__(*args, **kwargs)
        self.application = application
        existing = {c.get("rule"): c for c in application.checks or []}
        self.rows: list[tuple[str, str, str]] = []
        for rule in EligibilityRule:
            check = existing.get(rule.value, {})
            passed_name, reason_name = f"passed_{rule.value}", f"reason_{rule.value}"
            self.fields[passed_name] = forms.BooleanField(
                label=rule.label, required=False, initial=bool(check.get("passed"))
            )
            self.fields[reason_name] = forms.CharField(
                label=_("Reason"),
                required=False,
                max_length=500,
                initial=check.get("detail", ""),
            )
            self.rows.append((rule.value, passed_name, reason_name))

    def checklist(self):
        """(rule label, ticked field, reason field) for the template."""
        return [
            (EligibilityRule(rule).label, self[passed], self[reason])
            for rule, passed, reason in self.rows
        ]

    def checks(self) -> list[dict]:
        return [
            {
                "rule": rule,
                "passed": bool(self.cleaned_data.get(passed)),
                "detail": self.cleaned_data.get(reason, ""),
            }
            for rule, passed, reason in self.rows
        ]

    @property
    def eligible(self) -> bool:
        return self.cleaned_data.get("decision") == "eligible"


class WaiverRequestForm(NormalisedForm):
    rule = forms.ChoiceField(label=_("Rule to waive"))
    justification = forms.CharField(
        label=_("Justification"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Why the county should accept this applicant although the rule is not met. "
            "The county HR officer decides on this text; it is kept in the audit log."
        ),
    )

    def __init__(self, *args, rules: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rule"].choices = [  # type: ignore[attr-defined]
            (r, EligibilityRule(r).label) for r in rules
        ]


class WaiverDecisionForm(NormalisedForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve the waiver")), ("reject", _("Reject the waiver"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 4}))

    @property
    def approve(self) -> bool:
        return self.cleaned_data.get("decision") == "approve"
