"""Create one demo account per role (and an admin). Passwords are printed only when set."""

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.roles import Role

DEMO_ACCOUNTS = [
    ("annotator", [Role.ANNOTATOR], False),
    ("annotator2", [Role.ANNOTATOR], False),
    ("editor", [Role.EDITOR], False),
    ("researcher", [Role.RESEARCHER], False),
    ("admin", [], True),
]


class Command(BaseCommand):
    help = "Create the demo accounts (annotator, annotator2, editor, researcher, admin); --reset sets new passwords."

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="Give every demo account a new password.")

    @transaction.atomic
    def handle(self, *args, reset: bool = False, **options):
        User = get_user_model()
        printed = []
        for username, roles, is_admin in DEMO_ACCOUNTS:
            user, created = User.objects.get_or_create(
                username=username, defaults={"is_staff": is_admin, "is_superuser": is_admin}
            )
            user.groups.set(Group.objects.filter(name__in=[str(r) for r in roles]))
            if created or reset:
                password = secrets.token_urlsafe(9)
                user.set_password(password)
                user.save()
                printed.append((username, password, ", ".join(roles) or "admin (superuser)"))
        if not printed:
            self.stdout.write(
                "Demo accounts exist already; their passwords were printed when they were created. "
                "New ones: python manage.py demo_accounts --reset (or make reset-passwords)."
            )
            return
        self.stdout.write(self.style.SUCCESS("Demo accounts (shown once; reset with `make reset-passwords`):"))
        for username, password, role in printed:
            self.stdout.write(f"  {username:<11} {password:<14} {role}")
