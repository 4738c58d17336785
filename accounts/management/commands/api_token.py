"""Personal API tokens from the command line: create (the token alone on the last line), list, revoke."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts import services
from accounts.models import ApiToken
from corpus.errors import validation_message


class Command(BaseCommand):
    help = (
        "api_token create USERNAME [--read-only] [--expires-days N] [--name NAME] | "
        "api_token list USERNAME | api_token revoke PREFIX"
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create a token; prints it once, alone on the last line.")
        create.add_argument("username")
        create.add_argument("--read-only", action="store_true", help="The token may only read.")
        create.add_argument("--expires-days", type=int, default=None, help="Expire after N days (default: never).")
        create.add_argument("--name", default="command line", help="What the token is for.")
        listing = sub.add_parser("list", help="List a user's tokens (prefix, name, status; never the secret).")
        listing.add_argument("username")
        revoke = sub.add_parser("revoke", help="Revoke the token whose first 8 characters are PREFIX.")
        revoke.add_argument("prefix")

    def _user(self, username: str):
        try:
            return get_user_model()._default_manager.get_by_natural_key(username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user {username!r}.") from None

    def handle(self, *args, action: str, **options):
        try:
            if action == "create":
                self._create(options)
            elif action == "list":
                self._list(options["username"])
            else:
                self._revoke(options["prefix"])
        except ValidationError as exc:
            raise CommandError(validation_message(exc)) from None

    def _create(self, options) -> None:
        user = self._user(options["username"])
        token, raw = services.api_token_create(
            user=user, name=options["name"], read_only=options["read_only"], expires_days=options["expires_days"]
        )
        expires = f"expires {token.expires_at:%Y-%m-%d %H:%M} UTC" if token.expires_at else "never expires"
        mode = "read-only" if token.read_only else "read and write"
        self.stderr.write(f"Token {token.prefix}… for {user.get_username()} ({mode}, {expires}). Shown once:")
        self.stdout.write(raw)

    def _list(self, username: str) -> None:
        user = self._user(username)
        tokens = ApiToken.objects.filter(user=user).order_by("-created", "-id")
        for token in tokens:
            used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never"
            expires = f"{token.expires_at:%Y-%m-%d}" if token.expires_at else "-"
            mode = "read-only" if token.read_only else "read-write"
            self.stdout.write(
                f"{token.prefix}\t{services.api_token_status(token)}\t{mode}\t"
                f"expires {expires}\tlast used {used}\t{token.name}"
            )
        if not tokens:
            self.stdout.write(f"{username} has no API tokens.")

    def _revoke(self, prefix: str) -> None:
        tokens = list(ApiToken.objects.select_related("user").filter(prefix=prefix)[:2])
        if not tokens:
            raise CommandError(f"No token begins with {prefix!r}.")
        if len(tokens) > 1:
            raise CommandError(f"More than one token begins with {prefix!r}; revoke it from the account page.")
        token = tokens[0]
        services.api_token_revoke(token=token, by=token.user)
        self.stdout.write(f"Revoked {token.prefix}… ({token.name}) of {token.user.get_username()}.")
