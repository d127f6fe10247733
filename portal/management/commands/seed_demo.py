from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from portal.registry.demo import DEMO_PASSWORD, DemoBuilder, demo_logins


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
            DemoBuilder(members=members, seed=seed).build()
            self.stdout.write(_("Demo data loaded: %(count)d members.") % {"count": members + 1})
        self.stdout.write(
            _("Demo logins (the password for all: %(password)s):") % {"password": DEMO_PASSWORD}
        )
        for login in demo_logins():
            self.stdout.write(f"  {login.role_label}\t{login.username}\t{login.scope}")
