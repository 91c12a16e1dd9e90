"""Issue, list or revoke a user's API tokens.

manage.py api_token county_hr --name "县里的报表脚本"   # prints the new key once
manage.py api_token county_hr --list
manage.py api_token county_hr --revoke               # every live token of the user
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from api.models import ApiToken


class Command(BaseCommand):
    help = "Issue (default), list or revoke the API tokens of a user."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="What the token is for.")
        parser.add_argument(
            "--list", dest="listing", action="store_true", help="List the user's tokens."
        )
        parser.add_argument("--revoke", action="store_true", help="Revoke the user's tokens.")

    def handle(self, *args, username: str, name: str, listing: bool, revoke: bool, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        if listing:
            for token in ApiToken.objects.filter(user=user):
                state = "revoked" if token.revoked_at else "live"
                used = token.last_used_at.isoformat() if token.last_used_at else "never"
                self.stdout.write(f"{token.shown}…  {state}  last used {used}  {token.name}")
            return
        if revoke:
            live = ApiToken.objects.live().filter(user=user)
            count = 0
            for token in live:
                token.revoke()
                count += 1
            self.stdout.write(f"Revoked {count} token(s) of {username}.")
            return
        if not user.is_active:
            raise CommandError(f"{username} is not active.")
        _token, key = ApiToken.issue(user=user, name=name[:64])
        self.stdout.write(key)
