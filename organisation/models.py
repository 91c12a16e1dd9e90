"""County → township → village, and the director posts of each village."""

from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.scoping import ScopePaths
from core.text import pinyin_key
from organisation.constants import PostStatus, TownshipKind, VillageKind


class PinyinNamed(models.Model):
    """A place whose lists sort by the pinyin of its name (DESIGN.md: names sort by pinyin).

    ``name_pinyin`` is derived from ``name`` on every save, as ``people.Person`` does.
    """

    name_pinyin = models.CharField(_("name in pinyin"), max_length=256, editable=False, default="")

    # Left out of audit snapshots: it changes with the name and says nothing more.
    derived_fields = ("name_pinyin",)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.name_pinyin = pinyin_key(self.name)  # type: ignore[attr-defined]
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_pinyin"}
        super().save(*args, **kwargs)


class County(models.Model):
    """A county (县) that runs the scheme and owns one policy."""

    name = models.CharField(pgettext_lazy("place", "name"), max_length=64, unique=True)
    short_name = models.CharField(_("short name"), max_length=32, blank=True)
    hr_office = models.CharField(
        _("HR office"),
        max_length=128,
        help_text=_("Issuing body printed on county documents, e.g. 关岭自治县卫生健康局."),
    )

    scope_paths = ScopePaths(county="pk")

    class Meta:
        verbose_name = _("county")
        verbose_name_plural = _("counties")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_place(self) -> tuple[int, None]:
        """County and township of this record's audit trail."""
        return self.pk, None


class Township(PinyinNamed):
    """A township, town or subdistrict (乡镇/街道) whose committee hires the directors."""

    county = models.ForeignKey(
        County, verbose_name=_("county"), on_delete=models.PROTECT, related_name="townships"
    )
    name = models.CharField(pgettext_lazy("place", "name"), max_length=64)
    kind = models.CharField(
        _("kind"), max_length=16, choices=TownshipKind.choices, default=TownshipKind.TOWN
    )
    government = models.CharField(
        _("government"),
        max_length=128,
        blank=True,
        help_text=_("Issuing body printed on township documents, e.g. 关索街道办事处."),
    )
    leading_group_head = models.ForeignKey(
        "accounts.User",
        verbose_name=_("head of the recruitment leading group"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="headed_townships",
        help_text=_(
            "The township committee member who leads the recruitment leading group "
            "(选聘工作领导小组组长) and approves recruitment announcements."
        ),
    )
    # Public disclosure (民主监督, seed 003): switched on and off by county HR only, through
    # organisation.services.township_set_disclosure; the public pages (disclosure app) answer
    # 404 for a township that does not disclose.
    discloses_publicly = models.BooleanField(
        _("public disclosure"),
        default=False,
        help_text=_(
            "Publish the township's monthly bulletins, annual results, recruitment "
            "announcements and public notices on the public pages (names and scores only)."
        ),
    )
    disclosure_since = models.DateTimeField(
        _("public disclosure switched on at"), null=True, blank=True
    )

    scope_paths = ScopePaths(county="county", township="pk", village="villages")
    transition_labels = {
        "disclosure_on": _("Switch public disclosure on"),
        "disclosure_off": _("Switch public disclosure off"),
    }

    class Meta:
        verbose_name = _("township")
        verbose_name_plural = _("townships")
        ordering = ["name_pinyin", "id"]
        indexes = [models.Index(fields=["county", "name_pinyin"], name="township_county_pinyin")]
        permissions = [
            ("switch_disclosure", _("Can switch a township's public disclosure on and off"))
        ]
        constraints = [
            models.UniqueConstraint(
                "county",
                Lower("name"),
                name="township_unique_name_per_county",
                violation_error_message=_("The county already has a township of this name."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_place(self) -> tuple[int, int]:
        """County and township of this record's audit trail."""
        return self.county_id, self.pk

    @property
    def issuing_body(self) -> str:
        return self.government or f"{self.name}人民政府"


class Village(PinyinNamed):
    """A village, residents' committee or community (村/居/社区) with its registered population.

    The population and the date it is valid from decide how many director posts the village
    has under the county policy (``organisation.services.village_reconcile_posts``).
    """

    township = models.ForeignKey(
        Township, verbose_name=_("township"), on_delete=models.PROTECT, related_name="villages"
    )
    name = models.CharField(pgettext_lazy("place", "name"), max_length=64)
    kind = models.CharField(
        _("kind"), max_length=16, choices=VillageKind.choices, default=VillageKind.VILLAGE
    )
    registered_population = models.PositiveIntegerField(_("registered population"))
    population_effective_date = models.DateField(_("population effective date"))

    scope_paths = ScopePaths(county="township__county", township="township", village="pk")

    class Meta:
        verbose_name = _("village")
        verbose_name_plural = _("villages")
        # Lists are of one township; lists across townships order by the township first.
        ordering = ["name_pinyin", "id"]
        indexes = [models.Index(fields=["township", "name_pinyin"], name="village_township_pinyin")]
        permissions = [("import_villages", _("Can import villages and populations"))]
        constraints = [
            models.UniqueConstraint(
                "township",
                Lower("name"),
                name="village_unique_name_per_township",
                violation_error_message=_("The township already has a village of this name."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.township.name} {self.name}"


class Post(models.Model):
    """A director seat (岗位) in a village.

    States:
    - active: within the village quota; vacant or occupied.
    - surplus: above the quota after a population fell, kept because it is occupied;
      abolished when it becomes vacant.
    - abolished: no longer offered; kept for the record.
    """

    village = models.ForeignKey(
        Village, verbose_name=_("village"), on_delete=models.PROTECT, related_name="posts"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    status = models.CharField(
        _("status"), max_length=16, choices=PostStatus.choices, default=PostStatus.ACTIVE
    )
    holder = models.ForeignKey(
        "people.Person",
        verbose_name=_("holder"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="posts",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    scope_paths = ScopePaths(
        county="village__township__county",
        township="village__township",
        village="village",
        self="holder",
    )
    audit_name_related = ("village__township",)  # named in audit entries (audit.display)
    # Steps of contracts.services.posts: a contract comes into force or ends.
    transition_labels = {
        "occupy": _("The director takes up the post"),
        "vacate": _("The post falls vacant"),
    }

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["village", "number"]
        constraints = [
            models.UniqueConstraint("village", "number", name="post_unique_number_per_village")
        ]

    def __str__(self) -> str:
        return _("%(village)s post %(number)s") % {"village": self.village, "number": self.number}

    @property
    def is_occupied(self) -> bool:
        return self.holder_id is not None
