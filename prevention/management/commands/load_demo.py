from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.urls import reverse

from prevention.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = (
        "Load the Sverdlovsk district demo (Kyrgyzstan) and the Bolivian safety data, with one account per "
        "role. Running it again changes nothing; demo passwords are set only with DEBUG on."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--base-url",
            default="http://127.0.0.1:8000",
            help="Where the site runs, for the printed sign-in address (default: the address of make run).",
        )

    def handle(self, *args, base_url: str, **options) -> None:
        result = load_demo()
        base_url = base_url.rstrip("/")
        if result.created or result.changed:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo loaded: {result.created} rows created, {result.changed} reset to the demo's values."
                )
            )
        else:
            self.stdout.write(self.style.SUCCESS("Demo already loaded: nothing changed."))

        self.stdout.write(f"\nSign in at {base_url}{reverse('accounts:login')}")
        for account in result.accounts:
            if account.username == "admin":
                continue
            self.stdout.write(
                f"  {account.role:<10} {account.username:<10} {self._password(account)}  ({account.organisation})"
            )
        admin = next(account for account in result.accounts if account.username == "admin")
        self.stdout.write(
            f"\nAdministrator: {admin.username} / {self._password(admin)} at {base_url}{reverse('admin:index')}"
        )

        if not settings.DEBUG:
            self.stdout.write(
                self.style.WARNING(
                    "\nDEBUG is off, so the demo accounts have no usable password (the demo password is "
                    "public). Give one a password with: manage.py changepassword <username>"
                )
            )
        for username in result.kept_passwords:
            self.stdout.write(f"{username} keeps the password someone gave it.")

    def _password(self, account) -> str:
        if account.password_set and settings.DEBUG:
            return DEMO_PASSWORD
        return "(no password)" if not account.password_set else "(its own password)"
