"""The REST API's endpoints (``/api/v1/``): read endpoints of every resource and the steps
(POST actions), with the pages' permissions and scoping.

Every queryset goes through ``accounts.scoping`` as the pages' do, so a list holds what the
user's pages list and a record out of scope answers 404, as if it did not exist. Each
endpoint asks the permission its page asks (``readable``); a step asks what its page asks,
validates the page's form and calls the page's service (``api.steps``).
"""

from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework import exceptions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.constants import Role, Scope
from accounts.scoping import can_see, get_scoped_or_404, scoped
from api import serializers as out
from api.errors import Conflict
from api.serializers import MAX_ID, StrictSerializer
from api.steps import form_serializer, open_task, run_flow_step, run_service, validated_form
from assessment.constants import COUNTED_STATES
from assessment.models import MonthlyScore
from contracts import selectors as contract_selectors
from contracts.constants import OPEN_VACANCY_STATES, ContractState, VacancyState
from contracts.forms_vacancies import ActingForm
from contracts.models import Contract, Vacancy
from contracts.services.vacancies import vacancy_designate_acting
from contracts.views_vacancies import RACE_ERRORS
from core.normalise import search_term
from organisation.constants import PostStatus
from organisation.forms import PopulationChangeForm
from organisation.importing import MAX_POPULATION
from organisation.models import Post, Township, Village
from organisation.services import village_set_population
from paperwork import kinds
from paperwork.models import Document
from paperwork.selectors import documents_visible_to
from paperwork.views import _search as document_search
from people.models import Person
from people.selectors import people_matching
from policy.selectors import NoPolicyInForce
from recruitment.constants import ApplicationState, CampaignState
from recruitment.models import Application, Campaign
from recruitment.services.reserve import reserve_offer_make
from training.constants import CourseKind
from training.models import Attendance, Course
from workflows import views_contract
from workflows.flows_contract import ContractFlow

SERVICE_ERRORS = views_contract.SERVICE_ERRORS


def parse_id(raw: Any) -> int:
    """A record's id from the URL; a number out of range is simply not found."""
    try:
        value = int(raw)
    except (TypeError, ValueError) as exc:
        raise exceptions.NotFound() from exc
    if not 1 <= value <= MAX_ID:
        raise exceptions.NotFound()
    return value


class Filters(serializers.Serializer):
    """The query parameters of a list, each of its type (else 400). Parameters a list does
    not know (``page``) are left alone."""


def id_filter(help_text) -> serializers.IntegerField:
    return serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text=help_text
    )


def year_filter() -> serializers.IntegerField:
    return serializers.IntegerField(
        required=False, min_value=2000, max_value=2100, help_text=gettext_lazy("Year (API filter)")
    )


class ScopedViewSet(viewsets.ReadOnlyModelViewSet):
    """List and detail of one model, scoped to the user, behind the page's permission."""

    lookup_value_regex = r"-?[0-9]+"
    filters_class: type[Filters] | None = None
    filters: dict

    def readable(self, user) -> bool:
        raise NotImplementedError

    def check_permissions(self, request):
        super().check_permissions(request)  # signed in (401 otherwise)
        if not self.readable(request.user):
            self.permission_denied(request)

    def scoped_queryset(self) -> QuerySet:
        return scoped(self.queryset, self.request.user)  # type: ignore[arg-type]

    def get_queryset(self):
        queryset = self.scoped_queryset()
        if self.action == "list":
            self.filters = {}
            if self.filters_class is not None:
                params = {
                    key: self.request.query_params.get(key)
                    for key in self.filters_class().fields
                    if key in self.request.query_params
                }
                found = self.filters_class(data=params)
                found.is_valid(raise_exception=True)
                self.filters = found.validated_data
            queryset = self.filter_list(queryset, self.filters)
        return queryset

    def filter_list(self, queryset: QuerySet, filters: dict) -> QuerySet:
        return queryset

    def get_object(self):
        pk = parse_id(self.kwargs.get(self.lookup_url_kwarg or self.lookup_field))
        return get_scoped_or_404(self.get_queryset(), self.request.user, pk=pk)


def documented(listing, one, filters: type[Filters] | None = None, *, tag):
    """The list and detail operations' summaries and tag (in the interface language) and the
    list's parameters."""
    return extend_schema_view(
        list=extend_schema(summary=listing, tags=[tag], parameters=[filters] if filters else None),
        retrieve=extend_schema(summary=one, tags=[tag]),
    )


# --- organisation -------------------------------------------------------------------------

VIEW_VILLAGE = "organisation.view_village"


@documented(
    gettext_lazy("List of townships"),
    gettext_lazy("One township"),
    tag=gettext_lazy("API: organisation"),
)
class TownshipViewSet(ScopedViewSet):
    queryset = Township.objects.select_related("county").order_by("name_pinyin", "pk")
    serializer_class = out.TownshipSerializer

    def readable(self, user) -> bool:
        return user.has_perm(VIEW_VILLAGE)


class VillageFilters(Filters):
    township = id_filter(gettext_lazy("Township id"))


PopulationSerializer = form_serializer(
    PopulationChangeForm,
    "PopulationChange",
    registered_population=serializers.IntegerField(
        min_value=0, max_value=MAX_POPULATION, help_text=gettext_lazy("Registered population (API)")
    ),
)


@documented(
    gettext_lazy("List of villages"),
    gettext_lazy("One village"),
    VillageFilters,
    tag=gettext_lazy("API: organisation"),
)
class VillageViewSet(ScopedViewSet):
    queryset = Village.objects.select_related("township").order_by(
        "township__name_pinyin", "name_pinyin", "pk"
    )
    serializer_class = out.VillageSerializer
    filters_class = VillageFilters

    def readable(self, user) -> bool:
        if self.action == "population":
            return user.has_perm("organisation.change_village")
        return user.has_perm(VIEW_VILLAGE)

    def filter_list(self, queryset, filters):
        if "township" in filters:
            queryset = queryset.filter(township_id=filters["township"])
        return queryset

    @extend_schema(
        summary=gettext_lazy(
            "Change the registered population (the posts follow the policy's quota)"
        ),
        tags=[gettext_lazy("API: organisation")],  # type: ignore[list-item]
        request=PopulationSerializer,
        responses={200: out.VillageSerializer},
    )
    @action(detail=True, methods=["post"])
    def population(self, request, pk=None):
        """The village page's population form (``organisation:village_population``)."""
        village = get_scoped_or_404(
            Village.objects.select_related("township__county"),
            request.user,
            pk=parse_id(pk),
        )
        form = validated_form(PopulationChangeForm, PopulationSerializer, request)
        data = form.cleaned_data
        try:
            run_service(
                lambda: village_set_population(
                    village=village,
                    registered_population=data["registered_population"],
                    effective_date=data["effective_date"],
                    reason=data["reason"],
                    by=request.user,
                ),
                SERVICE_ERRORS,
            )
        except NoPolicyInForce as exc:
            raise exceptions.ValidationError({"effective_date": [str(exc)]}) from exc
        village.refresh_from_db()
        return Response(out.VillageSerializer(village, context={"request": request}).data)


class PostFilters(Filters):
    village = id_filter(gettext_lazy("Village id"))
    township = id_filter(gettext_lazy("Township id"))
    status = serializers.ChoiceField(
        choices=PostStatus.choices,
        required=False,
        help_text=gettext_lazy("Post status (API filter)"),
    )


@documented(
    gettext_lazy("List of posts"),
    gettext_lazy("One post"),
    PostFilters,
    tag=gettext_lazy("API: organisation"),
)
class PostViewSet(ScopedViewSet):
    queryset = Post.objects.select_related("village__township", "holder").order_by(
        "village__township__name_pinyin", "village__name_pinyin", "number", "pk"
    )
    serializer_class = out.PostSerializer
    filters_class = PostFilters

    def readable(self, user) -> bool:
        return user.has_perm(VIEW_VILLAGE)

    def filter_list(self, queryset, filters):
        if "village" in filters:
            queryset = queryset.filter(village_id=filters["village"])
        if "township" in filters:
            queryset = queryset.filter(village__township_id=filters["township"])
        if "status" in filters:
            queryset = queryset.filter(status=filters["status"])
        return queryset


# --- people -------------------------------------------------------------------------------


class PersonFilters(Filters):
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text=gettext_lazy("A name, its pinyin or a whole ID number"),
    )


@documented(
    gettext_lazy("List of people"),
    gettext_lazy("One person"),
    PersonFilters,
    tag=gettext_lazy("API: people"),
)
class PersonViewSet(ScopedViewSet):
    queryset = Person.objects.select_related("township", "village")
    serializer_class = out.PersonSerializer
    filters_class = PersonFilters

    def readable(self, user) -> bool:
        if user.has_perm("people.view_person"):
            return True
        # A director reads their own record (people:detail), not the list.
        return self.action == "retrieve" and user.role and user.scope == Scope.SELF

    def filter_list(self, queryset, filters):
        return people_matching(queryset, search_term(filters.get("q")))


# --- recruitment --------------------------------------------------------------------------


class CampaignFilters(Filters):
    state = serializers.ChoiceField(
        choices=CampaignState.choices,
        required=False,
        help_text=gettext_lazy("Campaign state (API filter)"),
    )


@documented(
    gettext_lazy("List of campaigns"),
    gettext_lazy("One campaign"),
    CampaignFilters,
    tag=gettext_lazy("API: recruitment"),
)
class CampaignViewSet(ScopedViewSet):
    queryset = Campaign.objects.select_related("township").order_by("-created_at", "-pk")
    serializer_class = out.CampaignSerializer
    filters_class = CampaignFilters

    def readable(self, user) -> bool:
        return user.has_perm("recruitment.view_campaign")

    def filter_list(self, queryset, filters):
        if "state" in filters:
            queryset = queryset.filter(state=filters["state"])
        return queryset


class ApplicationFilters(Filters):
    campaign = id_filter(gettext_lazy("Campaign id"))
    state = serializers.ChoiceField(
        choices=ApplicationState.choices,
        required=False,
        help_text=gettext_lazy("Application state (API filter)"),
    )


@documented(
    gettext_lazy("List of applications"),
    gettext_lazy("One application"),
    ApplicationFilters,
    tag=gettext_lazy("API: recruitment"),
)
class ApplicationViewSet(ScopedViewSet):
    queryset = Application.objects.select_related("offer__village").order_by(
        "campaign_id", "number", "pk"
    )
    serializer_class = out.ApplicationSerializer
    filters_class = ApplicationFilters

    def readable(self, user) -> bool:
        # recruitment.views_review.can_read_applications
        return user.has_perm("recruitment.run_campaign") or user.has_perm(
            "recruitment.approve_waiver"
        )

    def filter_list(self, queryset, filters):
        if "campaign" in filters:
            queryset = queryset.filter(campaign_id=filters["campaign"])
        if "state" in filters:
            queryset = queryset.filter(state=filters["state"])
        return queryset


# --- contracts ----------------------------------------------------------------------------


class ContractFilters(Filters):
    state = serializers.ChoiceField(
        choices=ContractState.choices,
        required=False,
        help_text=gettext_lazy("Contract state (API filter)"),
    )
    within = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=contract_selectors.MAX_WITHIN_DAYS,
        help_text=gettext_lazy("Ending within N days (contracts in force)"),
    )
    township = id_filter(gettext_lazy("Township id"))
    order = serializers.ChoiceField(
        choices=[("name", gettext_lazy("Name (pinyin)")), ("end", gettext_lazy("End date"))],
        required=False,
        help_text=gettext_lazy("Order (API filter)"),
    )


SignSerializer = form_serializer(views_contract.SignForm, "ContractSign")
FileSerializer = form_serializer(views_contract.FileForm, "ContractFile")
InductionSerializer = form_serializer(views_contract.InductionForm, "ContractInduction")

CONTRACT_STEPS = {
    # action: (page's task view, flow node, permission the step's service asks)
    "sign": (views_contract.SignContractView, ContractFlow.sign, "contracts.manage_term"),
    "file": (views_contract.FileContractView, ContractFlow.file, "contracts.file_contract"),
    "record_induction": (
        views_contract.RecordInductionView,
        ContractFlow.record_induction,
        "contracts.file_contract",
    ),
}


def step_schema(summary, request_serializer) -> Any:
    return extend_schema(
        summary=summary,
        tags=[gettext_lazy("API: contracts")],  # type: ignore[list-item]
        request=request_serializer,
        responses={200: out.ContractSerializer},
    )


@documented(
    gettext_lazy("List of contracts"),
    gettext_lazy("One contract"),
    ContractFilters,
    tag=gettext_lazy("API: contracts"),
)
class ContractViewSet(ScopedViewSet):
    queryset = Contract.objects.select_related("person", "post__village", "township")
    serializer_class = out.ContractSerializer
    filters_class = ContractFilters

    def readable(self, user) -> bool:
        if self.action in CONTRACT_STEPS:
            return user.has_perm(CONTRACT_STEPS[self.action][2])
        return user.has_perm("contracts.view_contract")

    def filter_list(self, queryset, filters):
        if "township" in filters:
            queryset = queryset.filter(township_id=filters["township"])
        listed = contract_selectors.ContractFilters(
            state=filters.get("state", ""),
            within=filters.get("within"),
            order=filters.get("order", "name"),
        )
        return contract_selectors.contracts_filtered(queryset, listed)

    def _step(self, request, pk, name: str):
        """The contract flow's task at the step ``name``, worked as its task page does: the
        page's form, the page's ``perform`` (the step's one service), the task completed."""
        view_class: Any
        view_class, node, _perm = CONTRACT_STEPS[name]
        contract = get_scoped_or_404(
            Contract.objects.select_related("township", "person", "post__village"),
            request.user,
            pk=parse_id(pk),
        )
        input_class = {"sign": SignSerializer, "file": FileSerializer}.get(
            name, InductionSerializer
        )
        form_class: Any = view_class.form_class
        form = validated_form(form_class, input_class, request)
        task = open_task(node, process__contractprocess__contract=contract)
        page = view_class()
        page.request = request  # the task view reads the user and the activation from it

        def already_done() -> bool:
            return page.already_done(Contract.objects.get(pk=contract.pk))

        run_flow_step(
            request=request,
            flow_task=node,
            task=task,
            already_done=already_done,
            perform=lambda: page.perform(form),
            errors=SERVICE_ERRORS,
        )
        updated = self.scoped_queryset().filter(pk=contract.pk).first() or Contract.objects.get(
            pk=contract.pk
        )
        return Response(out.ContractSerializer(updated, context={"request": request}).data)

    @step_schema(
        gettext_lazy("Sign the contract (the contract flow's signing task)"), SignSerializer
    )
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        return self._step(request, pk, "sign")

    @step_schema(
        gettext_lazy("File the contract with the county (the contract flow's filing task)"),
        FileSerializer,
    )
    @action(detail=True, methods=["post"])
    def file(self, request, pk=None):
        return self._step(request, pk, "file")

    @step_schema(
        gettext_lazy("Record induction training (the contract flow's induction task)"),
        InductionSerializer,
    )
    @action(detail=True, methods=["post"], url_path="record-induction")
    def record_induction(self, request, pk=None):
        return self._step(request, pk, "record_induction")


class VacancyFilters(Filters):
    show = serializers.ChoiceField(
        choices=[
            ("open", gettext_lazy("Open vacancies")),
            ("all", gettext_lazy("All (API filter)")),
        ],
        required=False,
        help_text=gettext_lazy("Open vacancies only unless all are asked for"),
    )
    township = id_filter(gettext_lazy("Township id"))


ActingSerializer = form_serializer(ActingForm, "VacancyActing")


class NoInput(StrictSerializer):
    """A step without input: an empty object (or no body)."""

    class Meta:
        ref_name = "NoInput"


MANAGE_TERM = "contracts.manage_term"


@documented(
    gettext_lazy("List of vacancies"),
    gettext_lazy("One vacancy"),
    VacancyFilters,
    tag=gettext_lazy("API: vacancies"),
)
class VacancyViewSet(ScopedViewSet):
    queryset = Vacancy.objects.select_related(
        "township", "post__village", "acting_person", "policy", "refill_campaign"
    ).order_by("refill_due", "township__name_pinyin", "post__village__name_pinyin", "pk")
    serializer_class = out.VacancySerializer
    filters_class = VacancyFilters

    def readable(self, user) -> bool:
        if self.action in ("acting", "offer"):
            return user.has_perm(MANAGE_TERM)
        return user.has_perm("contracts.view_vacancy")

    def filter_list(self, queryset, filters):
        if filters.get("show", "open") != "all":
            queryset = queryset.filter(state__in=OPEN_VACANCY_STATES)
        if "township" in filters:
            queryset = queryset.filter(township_id=filters["township"])
        return queryset

    def _manageable(self, request, pk) -> Vacancy:
        """The vacancy, which the user's township manages (``views_vacancies._manageable``),
        still open."""
        vacancy = get_scoped_or_404(self.scoped_queryset(), request.user, pk=parse_id(pk))
        if not can_see(request.user, vacancy.township):
            raise exceptions.PermissionDenied()
        if vacancy.state not in OPEN_VACANCY_STATES:
            raise Conflict(
                _("The vacancy is “%(state)s”: nothing more can be done on it.")
                % {"state": vacancy.get_state_display()}
            )
        return vacancy

    def _answer(self, request, vacancy: Vacancy) -> Response:
        vacancy = self.scoped_queryset().get(pk=vacancy.pk)
        return Response(out.VacancySerializer(vacancy, context={"request": request}).data)

    @extend_schema(
        summary=gettext_lazy("Designate an acting person (API)"),
        tags=[gettext_lazy("API: vacancies")],  # type: ignore[list-item]
        request=ActingSerializer,
        responses={200: out.VacancySerializer},
    )
    @action(detail=True, methods=["post"])
    def acting(self, request, pk=None):
        """The vacancy page's acting form (``vacancies:acting``)."""
        vacancy = self._manageable(request, pk)
        form = validated_form(ActingForm, ActingSerializer, request, vacancy=vacancy)
        data = form.cleaned_data
        run_service(
            lambda: vacancy_designate_acting(
                vacancy=vacancy, person=data["person"], on=data["on"], by=request.user
            ),
            (*SERVICE_ERRORS, *RACE_ERRORS),
        )
        return self._answer(request, vacancy)

    @extend_schema(
        summary=gettext_lazy("Offer the post to the next reserve candidate (API)"),
        tags=[gettext_lazy("API: vacancies")],  # type: ignore[list-item]
        request=NoInput,
        responses={200: out.VacancySerializer},
    )
    @action(detail=True, methods=["post"])
    def offer(self, request, pk=None):
        """The vacancy page's offer button (``vacancies:offer``)."""
        vacancy = self._manageable(request, pk)
        NoInput(data=request.data if isinstance(request.data, dict) else {}).is_valid(
            raise_exception=True
        )
        if vacancy.state == VacancyState.REFILLING:
            raise Conflict(_("The vacancy is being refilled by a campaign."))
        run_service(
            lambda: reserve_offer_make(vacancy=vacancy, by=request.user),
            (*SERVICE_ERRORS, *RACE_ERRORS),
        )
        return self._answer(request, vacancy)


# --- training -----------------------------------------------------------------------------

VIEW_COURSE = "training.view_course"


class CourseFilters(Filters):
    year = year_filter()
    kind = serializers.ChoiceField(
        choices=CourseKind.choices,
        required=False,
        help_text=gettext_lazy("Course kind (API filter)"),
    )


@documented(
    gettext_lazy("List of training courses"),
    gettext_lazy("One training course"),
    CourseFilters,
    tag=gettext_lazy("API: training"),
)
class CourseViewSet(ScopedViewSet):
    queryset = Course.objects.select_related("township").order_by("-starts_on", "-pk")
    serializer_class = out.CourseSerializer
    filters_class = CourseFilters

    def readable(self, user) -> bool:
        return user.has_perm(VIEW_COURSE)

    def filter_list(self, queryset, filters):
        if "year" in filters:
            queryset = queryset.filter(year=filters["year"])
        if "kind" in filters:
            queryset = queryset.filter(kind=filters["kind"])
        return queryset


class AttendanceFilters(Filters):
    course = id_filter(gettext_lazy("Course id"))
    person = id_filter(gettext_lazy("Person id"))


@documented(
    gettext_lazy("List of training attendances"),
    gettext_lazy("One training attendance"),
    AttendanceFilters,
    tag=gettext_lazy("API: training"),
)
class AttendanceViewSet(ScopedViewSet):
    queryset = Attendance.objects.select_related("course", "person").order_by(
        "-course__starts_on", "course_id", "person__name_pinyin", "pk"
    )
    serializer_class = out.AttendanceSerializer
    filters_class = AttendanceFilters

    def readable(self, user) -> bool:
        return user.has_perm(VIEW_COURSE)

    def scoped_queryset(self):
        # Of the courses the user sees (training:detail lists a course's attendance).
        return (
            super()
            .scoped_queryset()
            .filter(course__in=scoped(Course.objects.all(), self.request.user))
        )

    def filter_list(self, queryset, filters):
        if "course" in filters:
            queryset = queryset.filter(course_id=filters["course"])
        if "person" in filters:
            queryset = queryset.filter(person_id=filters["person"])
        return queryset


# --- the monthly assessment ---------------------------------------------------------------


class ScoreFilters(Filters):
    year = year_filter()
    month = serializers.IntegerField(
        required=False, min_value=1, max_value=12, help_text=gettext_lazy("Month (API filter)")
    )
    township = id_filter(gettext_lazy("Township id"))
    person = id_filter(gettext_lazy("Person id"))


@documented(
    gettext_lazy("List of monthly scores"),
    gettext_lazy("One monthly score"),
    ScoreFilters,
    tag=gettext_lazy("API: monthly assessment"),
)
class MonthlyScoreViewSet(ScopedViewSet):
    queryset = MonthlyScore.objects.select_related("month", "person", "village").order_by(
        "-month__year", "-month__month", "month__township_id", "rank", "pk"
    )
    serializer_class = out.MonthlyScoreSerializer
    filters_class = ScoreFilters

    def readable(self, user) -> bool:
        # The months' pages (assessment.view_assessmentmonth); a director their own
        # published scores (my_term).
        return user.has_perm("assessment.view_assessmentmonth") or (
            getattr(user, "role", "") == Role.DIRECTOR
        )

    def scoped_queryset(self):
        queryset = super().scoped_queryset()
        if not self.request.user.has_perm("assessment.view_assessmentmonth"):
            queryset = queryset.filter(month__state__in=COUNTED_STATES)
        return queryset

    def filter_list(self, queryset, filters):
        if "year" in filters:
            queryset = queryset.filter(month__year=filters["year"])
        if "month" in filters:
            queryset = queryset.filter(month__month=filters["month"])
        if "township" in filters:
            queryset = queryset.filter(month__township_id=filters["township"])
        if "person" in filters:
            queryset = queryset.filter(person_id=filters["person"])
        return queryset


# --- documents ----------------------------------------------------------------------------


class DocumentFilters(Filters):
    kind = serializers.CharField(
        required=False, max_length=64, help_text=gettext_lazy("Document kind code")
    )
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text=gettext_lazy("Search (API filter)"),
    )

    def validate_kind(self, value: str) -> str:
        if value not in kinds.codes():
            raise serializers.ValidationError(_("No document kind has this code."))
        return value


@documented(
    gettext_lazy("List of documents"),
    gettext_lazy("One document"),
    DocumentFilters,
    tag=gettext_lazy("API: documents"),
)
class DocumentViewSet(ScopedViewSet):
    queryset = Document.objects.all()
    serializer_class = out.DocumentSerializer
    filters_class = DocumentFilters

    def readable(self, user) -> bool:
        return True  # signed in: documents_visible_to decides (paperwork:list)

    def scoped_queryset(self):
        return (
            documents_visible_to(self.request.user)
            .select_related("superseded_by")
            .order_by("-issued_at", "-pk")
        )

    def filter_list(self, queryset, filters):
        if "kind" in filters:
            queryset = queryset.filter(kind=filters["kind"])
        return document_search(queryset, search_term(filters.get("q")))


# --- the schema and its pages ---------------------------------------------------------------


@extend_schema(exclude=True)
class SchemaView(SpectacularAPIView):
    pass


class SignedInPage:
    """The schema's page is for signed-in users: others go to the sign-in page. (Redoc is
    not offered: its page loads fonts and a logo from other hosts.)"""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


@extend_schema(exclude=True)
class SwaggerView(SignedInPage, SpectacularSwaggerView):
    title = "Cunpin 村聘 API"
