"""``manage.py load_demo``: build the demo county (Guanling, seed 001), replay its two demo
recruitment campaigns (``demo.recruitment``) and print the accounts and who continues each
campaign."""

import time
import unicodedata

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from accounts.constants import ROLE_SCOPE, Scope
from demo import data
from demo.agreements import demo_agreements_load
from demo.appraisal import demo_appraisal_lines, demo_appraisal_load
from demo.assessment import (
    demo_assessment_load,
    demo_assessment_seat,
    demo_scored_director_account,
)
from demo.directors import demo_directors_load
from demo.disclosure import demo_disclosure_load
from demo.earlywarnings import demo_warnings_load
from demo.inspections import demo_inspections_load
from demo.recruitment import demo_campaign_lines, demo_campaigns_load
from demo.services import DemoResult, demo_load
from demo.term import demo_term_account, demo_term_lines, demo_term_load
from demo.training import demo_training_load
from notifications.services import in_app_only
from organisation.constants import PostStatus
from organisation.models import County, Post, Township, Village
from people.models import Person


def created_kind(kind: str) -> str:
    """The name of a kind of record counted in ``DemoResult.created``, translated."""
    labels = {
        "counties": pgettext("demo records created", "counties"),
        "policy versions": pgettext("demo records created", "policy versions"),
        "townships": pgettext("demo records created", "townships"),
        "villages": pgettext("demo records created", "villages"),
        "people": pgettext("demo records created", "people"),
        "directors seated": pgettext("demo records created", "directors seated"),
        "directors imported": pgettext("demo records created", "directors imported"),
        "users": pgettext("demo records created", "users"),
        "leading-group heads": pgettext("demo records created", "leading-group heads"),
        "recruitment campaigns": pgettext("demo records created", "recruitment campaigns"),
        "contracts of seated directors": pgettext(
            "demo records created", "contracts of seated directors"
        ),
        "training courses": pgettext("demo records created", "training courses"),
        "inspection days": pgettext("demo records created", "inspection days"),
        "agreements": pgettext("demo records created", "target-responsibility agreements"),
        "assessment months": pgettext("demo records created", "assessment months"),
        "early warnings": pgettext("demo records created", "early warnings"),
        "yellow cards": pgettext("demo records created", "yellow cards"),
        "townships disclosing publicly": pgettext(
            "demo records created", "townships disclosing publicly"
        ),
    }
    return labels.get(kind, kind)


def _width(text: str) -> int:
    """Columns the text takes in a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def table(header: list[str], rows: list[list[str]]) -> str:
    """A plain-text table whose columns line up with Chinese text too."""
    widths = [max(_width(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return " | ".join(_pad(c, w) for c, w in zip(cells, widths, strict=True)).rstrip()

    rule = "-+-".join("-" * w for w in widths)
    return "\n".join([line(header), rule, *(line(row) for row in rows)])


def scope_of(user) -> str:
    if user.role not in ROLE_SCOPE:
        return "—"
    label = Scope(user.scope).label
    if user.scope == Scope.COUNTY:
        place = user.county.short_name or user.county.name
    elif user.scope == Scope.TOWNSHIP:
        place = user.township.name if user.township else "—"
    elif user.scope == Scope.VILLAGE:
        place = str(user.village) if user.village else "—"
    else:
        place = user.person.name if user.person else "—"
        if user.village:
            place += f" ({user.village})"
    return _("%(scope)s: %(place)s") % {"scope": label, "place": place}


def role_of(user, account: data.DemoAccount) -> str:
    role = str(user.get_role_display() or "—")
    if account.heads_leading_group and user.role == account.role:
        role += " · " + _("head of the recruitment leading group")
    return role


class Command(BaseCommand):
    help = (
        "Create the demo county (关岭自治县, seed 001) with its townships, villages, posts, "
        "people and one account per role, and replay two recruitment campaigns up to today; "
        "then print the accounts and who continues each campaign. Safe to run again: only "
        "what is missing is created."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset-passwords",
            action="store_true",
            help="Set the demo accounts' passwords back to the printed ones.",
        )

    def handle(self, *args, **options):
        # The demo's history is replayed: its notifications are in the app, not in anyone's
        # mailbox (nor printed by the console email backend of `make run`).
        with in_app_only():
            self.load(*args, **options)

    def load(self, *args, reset_passwords: bool = False, **options):
        if getattr(settings, "CUNPIN_PRODUCTION", False):
            # Production settings leave the demo app out; this guards a settings module
            # that adds it back.
            raise CommandError(
                _(
                    "The demo county is not loaded with production settings: it creates "
                    "accounts whose passwords are published in the README."
                )
            )
        started = time.monotonic()
        result = demo_load(reset_passwords=reset_passwords)
        if imported := demo_directors_load():
            result.created["directors imported"] += imported
        term = demo_term_load()
        if term.imported:
            result.created["directors imported"] += term.imported
        if term.account_created:
            result.created["users"] += 1
        director, reset = demo_term_account(reset_passwords=reset_passwords)
        if director is not None:
            result.accounts.append((data.TERM_DIRECTOR_ACCOUNT, director))
            result.passwords_reset += reset
        campaigns = demo_campaigns_load()
        if campaigns.created:
            result.created["recruitment campaigns"] += len(campaigns.created)
        # The seated directors of the two townships the demo scores get their contracts
        # before the training, agreements and months that concern them.
        if seated := demo_assessment_seat():
            result.created["contracts of seated directors"] += seated
        if scored_director := demo_scored_director_account():
            result.accounts.append((data.SCORED_DIRECTOR_ACCOUNT, scored_director))
        # Two years of training, after the campaigns (their hires take the induction course).
        if courses := demo_training_load():
            result.created["training courses"] += courses
        # Monthly inspections with their spot-check draws (demo.inspections).
        if inspection_days := demo_inspections_load():
            result.created["inspection days"] += inspection_days
        if agreements := demo_agreements_load():
            result.created["agreements"] += agreements
        # The monthly assessment of two townships, Nov 2024 – Nov 2026 (demo.assessment).
        if months := demo_assessment_load():
            result.created["assessment months"] += months
        # The annual appraisal and rewards, from the monthly scores published above.
        appraisal = demo_appraisal_load()
        # Early warnings from the published months' scores, and one yellow card (issue 8).
        warned = demo_warnings_load()
        if warned.warnings:
            result.created["early warnings"] += warned.warnings
        if warned.yellow_cards:
            result.created["yellow cards"] += warned.yellow_cards
        # Public disclosure switched on for two townships (issue 9).
        if disclosing := demo_disclosure_load():
            result.created["townships disclosing publicly"] += disclosing
        elapsed = time.monotonic() - started
        self.print_summary(result, elapsed)
        for reason in campaigns.skipped:
            self.stdout.write(
                self.style.WARNING(_("Demo campaign not created: %(reason)s") % {"reason": reason})
            )
        self.print_accounts(result)
        self.print_term()
        self.print_appraisal(appraisal)
        # Last: who continues each campaign, and with what.
        self.print_campaigns()

    def print_summary(self, result: DemoResult, elapsed: float) -> None:
        county = County.objects.get(name=data.COUNTY["name"])
        posts = Post.objects.filter(village__township__county=county, status=PostStatus.ACTIVE)
        active = posts.count()
        occupied = posts.filter(holder__isnull=False).count()
        self.stdout.write(
            _(
                "Demo county %(county)s: %(townships)s townships, %(villages)s villages, "
                "%(posts)s active posts (%(occupied)s occupied, %(vacant)s vacant), "
                "%(people)s people."
            )
            % {
                "county": county.name,
                "townships": Township.objects.filter(county=county).count(),
                "villages": Village.objects.filter(township__county=county).count(),
                "posts": active,
                "occupied": occupied,
                "vacant": active - occupied,
                "people": Person.objects.filter(township__county=county).count(),
            }
        )
        if result.created:
            created = pgettext("demo records created", ", ").join(
                pgettext("demo records created", "%(kind)s: %(count)s")
                % {"kind": created_kind(kind), "count": count}
                for kind, count in result.created.items()
            )
            self.stdout.write(self.style.SUCCESS(_("Created: %(created)s.") % {"created": created}))
        else:
            self.stdout.write(_("Nothing to create: the demo county is complete."))
        if result.passwords_reset:
            self.stdout.write(
                self.style.WARNING(
                    _("Passwords reset to the demo passwords: %(n)s accounts.")
                    % {"n": result.passwords_reset}
                )
            )
        self.stdout.write(_("Done in %(seconds).2f s.") % {"seconds": elapsed})

    def print_accounts(self, result: DemoResult) -> None:
        rows = [
            [
                user.username,
                # An account of that name that the demo did not make keeps its own password.
                account.password if user.role == account.role else "—",
                role_of(user, account),
                scope_of(user),
            ]
            for account, user in result.accounts
        ]
        self.stdout.write("")
        self.stdout.write(_("Demo accounts"))
        self.stdout.write(
            table(
                [
                    pgettext("demo accounts table", "Username"),
                    pgettext("demo accounts table", "Password"),
                    pgettext("demo accounts table", "Role"),
                    pgettext("demo accounts table", "Scope"),
                ],
                [[str(cell) for cell in row] for row in rows],
            )
        )
        self.stdout.write(
            _(
                "Passwords are set when an account is created; later runs leave them as they "
                "are. Run `manage.py load_demo --reset-passwords` to set them back."
            )
        )

    def print_campaigns(self) -> None:
        """One line per demo campaign: where it stands and who continues it with what."""
        lines = demo_campaign_lines()
        if not lines:
            return
        self.stdout.write("")
        self.stdout.write(_("Demo recruitment campaigns"))
        for line in lines:
            if line.next_step:
                who = line.username or _("the township committee's queue")
                step = _("%(who)s continues: %(step)s") % {"who": who, "step": line.next_step}
            else:
                step = _("nothing waits")
            self.stdout.write(f"{line.township} · {line.title} · {line.state} · {step}")

    def print_term(self) -> None:
        """One line per example of the contract term: its state, where, who, and the account
        that sees it."""
        lines = demo_term_lines()
        if not lines:
            return
        self.stdout.write("")
        self.stdout.write(_("The contract term in the demo"))
        self.stdout.write(
            table(
                [
                    pgettext("demo term table", "State"),
                    pgettext("demo term table", "Where"),
                    pgettext("demo term table", "Person"),
                    pgettext("demo term table", "Date"),
                    pgettext("demo term table", "Sign in as"),
                ],
                [
                    [line.state, line.place, line.person, line.detail, line.username]
                    for line in lines
                ],
            )
        )

    def print_appraisal(self, loaded) -> None:
        lines = demo_appraisal_lines()
        if not lines:
            return
        self.stdout.write("")
        self.stdout.write(_("Annual appraisal and rewards (settled):"))
        for line in lines:
            self.stdout.write(f"  {line}")
        if loaded.long_service:
            self.stdout.write(
                _(
                    "  Long-service reward: %(name)s (earlier contract and two earlier "
                    "appraisals entered from paper records)."
                )
                % {"name": loaded.long_service}
            )
        for reason in loaded.skipped:
            self.stdout.write(self.style.WARNING(reason))
