"""What the API answers: one read-only serializer per resource, and the base of the input
serializers, which refuse fields they do not know.

ID and mobile numbers are always masked, as on the staff lists (``core.identity``): the API
has no way to read a full number. Names of related records come beside their ids so that a
client needs no second request to show a row.
"""

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from assessment.models import MonthlyScore
from contracts.models import Contract, Vacancy
from core.identity import mask_id_number, mask_mobile
from organisation.models import Post, Township, Village
from paperwork.models import Document
from people.models import Person
from recruitment.models import Application, Campaign
from training.models import Attendance, Course

# The largest id a client may send: the databases' 64-bit integer.
MAX_ID = 2**63 - 1


class StrictSerializer(serializers.Serializer):
    """Input that names a field the serializer does not have is refused (400), naming it."""

    def validate(self, attrs):
        if isinstance(self.initial_data, dict):
            unknown = sorted(str(key) for key in self.initial_data if key not in self.fields)
            if unknown:
                raise serializers.ValidationError(
                    {
                        key: [
                            _("Unknown field: this request takes no “%(field)s”.") % {"field": key}
                        ]
                        for key in unknown
                    }
                )
        return super().validate(attrs)


class TownshipSerializer(serializers.ModelSerializer):
    county_name = serializers.CharField(source="county.name", read_only=True)

    class Meta:
        model = Township
        fields = ["id", "name", "kind", "county", "county_name", "government"]


class VillageSerializer(serializers.ModelSerializer):
    township_name = serializers.CharField(source="township.name", read_only=True)

    class Meta:
        model = Village
        fields = [
            "id",
            "name",
            "kind",
            "township",
            "township_name",
            "registered_population",
            "population_effective_date",
        ]


class PostSerializer(serializers.ModelSerializer):
    village_name = serializers.CharField(source="village.name", read_only=True)
    township = serializers.IntegerField(source="village.township_id", read_only=True)
    holder_name = serializers.CharField(
        source="holder.name", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = Post
        fields = ["id", "village", "village_name", "township", "number", "status", "holder",
                  "holder_name"]  # fmt: skip


class PersonSerializer(serializers.ModelSerializer):
    id_number = serializers.CharField(
        source="masked_id_number", read_only=True, help_text=gettext_lazy("ID number (masked)")
    )
    phone = serializers.CharField(
        source="masked_phone", read_only=True, help_text=gettext_lazy("Mobile phone (masked)")
    )
    township_name = serializers.CharField(source="township.name", read_only=True)
    village_name = serializers.CharField(
        source="village.name", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = Person
        fields = [
            "id",
            "name",
            "id_number",
            "phone",
            "sex",
            "education",
            "school",
            "graduation_year",
            "township",
            "township_name",
            "village",
            "village_name",
        ]


class CampaignSerializer(serializers.ModelSerializer):
    township_name = serializers.CharField(source="township.name", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = Campaign
        fields = [
            "id",
            "title",
            "kind",
            "township",
            "township_name",
            "state",
            "state_display",
            "registration_start",
            "registration_end",
            "written_exam_at",
            "interview_at",
            "venue",
            "announced_at",
            "notice_starts_on",
            "notice_ends_on",
            "concluded_at",
            "created_at",
        ]


class ApplicationSerializer(serializers.ModelSerializer):
    id_number = serializers.SerializerMethodField(help_text=gettext_lazy("ID number (masked)"))
    phone = serializers.SerializerMethodField(help_text=gettext_lazy("Mobile phone (masked)"))
    village = serializers.IntegerField(source="offer.village_id", read_only=True)
    village_name = serializers.CharField(source="offer.village.name", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = Application
        fields = [
            "id",
            "campaign",
            "number",
            "village",
            "village_name",
            "name",
            "id_number",
            "phone",
            "sex",
            "education",
            "state",
            "state_display",
            "admission_number",
            "written_score",
            "interview_score",
            "composite_score",
            "rank",
            "submitted_at",
        ]

    def get_id_number(self, application: Application) -> str:
        return mask_id_number(application.id_number)

    def get_phone(self, application: Application) -> str:
        return mask_mobile(application.phone)


class ContractSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.name", read_only=True)
    village = serializers.IntegerField(source="post.village_id", read_only=True)
    village_name = serializers.CharField(source="post.village.name", read_only=True)
    township_name = serializers.CharField(source="township.name", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    days_left = serializers.SerializerMethodField(
        help_text=gettext_lazy("Days to the end date, the end date included")
    )

    class Meta:
        model = Contract
        fields = [
            "id",
            "person",
            "person_name",
            "post",
            "village",
            "village_name",
            "township",
            "township_name",
            "state",
            "state_display",
            "origin",
            "term_years",
            "start_date",
            "end_date",
            "monthly_pay",
            "township_signatory",
            "township_signed_on",
            "director_signed_on",
            "filed_on",
            "filing_number",
            "induction_on",
            "activated_on",
            "ended_on",
            "end_reason",
            "days_left",
        ]

    def get_days_left(self, contract: Contract) -> int:
        return contract.days_left(timezone.localdate())


class VacancySerializer(serializers.ModelSerializer):
    village = serializers.IntegerField(source="post.village_id", read_only=True)
    village_name = serializers.CharField(source="post.village.name", read_only=True)
    township_name = serializers.CharField(source="township.name", read_only=True)
    acting_person_name = serializers.CharField(
        source="acting_person.name", read_only=True, allow_null=True, default=None
    )
    state_display = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = Vacancy
        fields = [
            "id",
            "post",
            "village",
            "village_name",
            "township",
            "township_name",
            "state",
            "state_display",
            "cause",
            "opened_on",
            "refill_due",
            "acting_person",
            "acting_person_name",
            "acting_from",
            "refill_campaign",
            "escalated_on",
            "closed_on",
        ]


class CourseSerializer(serializers.ModelSerializer):
    township_name = serializers.CharField(
        source="township.name", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = Course
        fields = [
            "id",
            "county",
            "township",
            "township_name",
            "kind",
            "year",
            "title",
            "starts_on",
            "ends_on",
            "days",
            "hours",
            "venue",
            "organiser",
        ]


class AttendanceSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.name", read_only=True)
    course_title = serializers.CharField(source="course.title", read_only=True)

    class Meta:
        model = Attendance
        fields = ["id", "course", "course_title", "person", "person_name", "days", "hours",
                  "note", "recorded_at"]  # fmt: skip


class MonthlyScoreSerializer(serializers.ModelSerializer):
    year = serializers.IntegerField(source="month.year", read_only=True)
    month_number = serializers.IntegerField(source="month.month", read_only=True)
    month_state = serializers.CharField(source="month.state", read_only=True)
    township = serializers.IntegerField(source="month.township_id", read_only=True)
    person_name = serializers.CharField(source="person.name", read_only=True)
    village_name = serializers.CharField(source="village.name", read_only=True)
    points = serializers.SerializerMethodField(
        help_text=gettext_lazy("Points per item: the item's id → points")
    )

    class Meta:
        model = MonthlyScore
        fields = [
            "id",
            "month",
            "year",
            "month_number",
            "month_state",
            "township",
            "person",
            "person_name",
            "village",
            "village_name",
            "points",
            "total",
            "rank",
            "base_pay",
            "deduction_percent",
            "deduction",
            "pay",
            "remarks",
        ]

    @extend_schema_field({"type": "object", "additionalProperties": {"type": "string"}})
    def get_points(self, score: MonthlyScore) -> dict[str, str]:
        points: Any = score.points or {}
        return {str(key): str(value) for key, value in points.items()}


class DocumentSerializer(serializers.ModelSerializer):
    kind_title = serializers.CharField(read_only=True)
    superseded = serializers.SerializerMethodField(
        help_text=gettext_lazy("Whether a later document supersedes it")
    )
    download_url = serializers.SerializerMethodField(
        help_text=gettext_lazy("Download address (the pages' download, which checks permission)")
    )

    class Meta:
        model = Document
        fields = [
            "id",
            "kind",
            "kind_title",
            "title",
            "subject_repr",
            "township",
            "person",
            "issuing_body",
            "issued_at",
            "verification_code",
            "sha256",
            "size",
            "pages",
            "superseded",
            "download_url",
        ]

    def get_superseded(self, document: Document) -> bool:
        return document.successor is not None

    @extend_schema_field(OpenApiTypes.URI)
    def get_download_url(self, document: Document) -> str:
        path = reverse("paperwork:download", args=[document.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path
