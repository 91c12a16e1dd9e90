"""Reads for the dashboards. Each runs a fixed number of queries whatever the data size."""

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from accounts.scoping import scoped
from audit.models import AuditEntry
from organisation.constants import PostStatus
from organisation.models import Post, Township, Village
from paperwork.models import Document
from people.models import Person
from policy.models import Policy
from policy.selectors import NoPolicyInForce, policy_in_force

RECENT_ENTRIES = 10


@dataclass(frozen=True)
class Totals:
    villages: int = 0
    posts: int = 0
    occupied: int = 0
    vacant: int = 0

    @classmethod
    def of(cls, places: list, *, villages: int) -> "Totals":
        """The sums over places annotated with ``_post_counts``."""
        return cls(
            villages=villages,
            posts=sum(p.post_count for p in places),
            occupied=sum(p.occupied_count for p in places),
            vacant=sum(p.vacant_count for p in places),
        )


def _post_counts(prefix: str) -> dict:
    """Annotations counting a place's posts: all kept posts, occupied ones and vacant ones.

    Abolished posts are left out; a surplus post is always occupied (it is abolished when it
    falls vacant), so a vacant post is an active one without a holder.
    """
    posts = f"{prefix}posts"
    kept = ~Q(**{f"{posts}__status": PostStatus.ABOLISHED})
    return {
        "post_count": Count(posts, filter=kept, distinct=True),
        "occupied_count": Count(
            posts, filter=kept & Q(**{f"{posts}__holder__isnull": False}), distinct=True
        ),
        "vacant_count": Count(
            posts,
            filter=Q(**{f"{posts}__status": PostStatus.ACTIVE, f"{posts}__holder__isnull": True}),
            distinct=True,
        ),
    }


def _open_posts(user, **lookup) -> QuerySet[Post]:
    """The posts matching ``lookup`` that ``user`` may see, abolished ones left out."""
    return scoped(Post.objects.filter(**lookup), user).exclude(status=PostStatus.ABOLISHED)


def recent_audit_entries(user, limit: int = RECENT_ENTRIES) -> list[AuditEntry]:
    return list(scoped(AuditEntry.objects.select_related("actor", "content_type"), user)[:limit])


@dataclass
class CountyDashboard:
    townships: list[Township]
    totals: Totals
    policy: Policy | None
    recent: list[AuditEntry] = field(default_factory=list)


def county_dashboard(user) -> CountyDashboard:
    """Townships with village and post counts, the policy in force and recent changes."""
    townships = list(
        scoped(Township.objects.select_related("county"), user)
        .annotate(village_count=Count("villages", distinct=True), **_post_counts("villages__"))
        .order_by("county__name", "name")
    )
    totals = Totals.of(townships, villages=sum(t.village_count for t in townships))
    try:
        policy = policy_in_force(county=user.county_id, on=timezone.localdate())
    except NoPolicyInForce:
        policy = None
    return CountyDashboard(townships, totals, policy, recent_audit_entries(user))


@dataclass
class TownshipDashboard:
    township: Township | None
    villages_with_vacancies: list[Village]
    totals: Totals
    recent: list[AuditEntry] = field(default_factory=list)


def township_dashboard(user) -> TownshipDashboard:
    """The township's villages that have vacant posts, its totals and recent changes."""
    township = scoped(Township.objects.all(), user).filter(pk=user.township_id).first()
    villages = list(
        scoped(Village.objects.all(), user).annotate(**_post_counts("")).order_by("name")
    )
    totals = Totals.of(villages, villages=len(villages))
    vacant = [v for v in villages if v.vacant_count]
    return TownshipDashboard(township, vacant, totals, recent_audit_entries(user))


@dataclass
class VillageDashboard:
    village: Village | None
    posts: list[Post]


def village_dashboard(user) -> VillageDashboard:
    """The committee's village, its posts and the directors holding them."""
    village = (
        scoped(Village.objects.select_related("township"), user).filter(pk=user.village_id).first()
    )
    posts: list[Post] = []
    if village is not None:
        posts = list(_open_posts(user, village=village).select_related("holder").order_by("number"))
    return VillageDashboard(village, posts)


@dataclass
class DirectorDashboard:
    person: Person | None
    posts: list[Post]
    documents: QuerySet | list


def director_dashboard(user, *, documents: int = 20) -> DirectorDashboard:
    """The director's own record only: person, posts held and documents about them."""
    person = (
        scoped(Person.objects.select_related("township", "village"), user)
        .filter(pk=user.person_id)
        .first()
    )
    posts: list[Post] = []
    docs: list[Document] = []
    if person is not None:
        posts = list(_open_posts(user, holder=person).select_related("village__township"))
        docs = list(scoped(Document.objects.filter(person=person), user)[:documents])
    return DirectorDashboard(person, posts, docs)
