from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from portal import signals
from portal.cards.demo import demo_cards_build
from portal.care.demo import LIAISON_USERNAME, demo_care_build
from portal.content.demo import demo_content_build
from portal.meetings.demo import demo_meetings_build
from portal.parcels.demo import demo_catalog_build, demo_parcels_build
from portal.registry.demo import DEMO_MEMBER_BRANCH, DEMO_PASSWORD, DemoBuilder, demo_logins
from portal.rules.demo import demo_rules_build
from portal.video.demo import demo_lecture_build
from portal.whereabouts.demo import demo_whereabouts_build


@transaction.atomic
def demo_build(*, members: int, seed: int) -> None:
    """The whole demo in one transaction, wing by wing in the order they build on each other;
    the apps above portal add theirs when ``demo_built`` is sent."""
    county, member = DemoBuilder(members=members, seed=seed).build()
    demo_content_build(county=county, township_code="T01")
    demo_lecture_build(county=county)
    demo_catalog_build(county=county)
    # Activity certificate and contact cards of the demo member.
    demo_cards_build(member=member, origin_username="secretary", host_username="host_secretary")
    demo_whereabouts_build(member=member)
    # 1+N: a liaison and their members, talks, a care case and a transfer to accept.
    demo_care_build(member=member, secretary_username="secretary", password=DEMO_PASSWORD)
    # Red packages: the demo member's, received, and a few for the secretary to send.
    demo_parcels_build(member=member, secretary_username="secretary")
    # A year of meetings (三会一课, 主题党日) across the branches, two upcoming.
    demo_meetings_build(county=county, member=member, seed=seed)
    # Content rules: the built-in ones and a township's own.
    demo_rules_build(township_code="T01")
    signals.demo_built.send(sender=DemoBuilder, county=county, member=member)


class Command(BaseCommand):
    help = "Load the invented demo county with its organisations, members and a login per role."

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=2000, help="how many members")
        parser.add_argument("--seed", type=int, default=20260701, help="random seed")

    def handle(self, *args, members: int, seed: int, **options):
        if members < 0:
            raise CommandError(_("--members must be zero or more."))
        if DemoBuilder.exists():
            self.stdout.write(_("The demo data is already loaded; nothing was changed."))
        else:
            demo_build(members=members, seed=seed)
            self.stdout.write(_("Demo data loaded: %(count)d members.") % {"count": members + 1})
        self.stdout.write(
            _("Demo logins (the password for all: %(password)s):") % {"password": DEMO_PASSWORD}
        )
        for login in demo_logins(more=[(LIAISON_USERNAME, "liaison", DEMO_MEMBER_BRANCH)]):
            self.stdout.write(f"  {login.role_label}\t{login.username}\t{login.scope}")
