"""`silvershield demo`: migrate, collect static files, seed an empty database, print the demo sign-ins
and serve with gunicorn at http://127.0.0.1:8000 (`--port`, `--host` to change).

gunicorn replaces this process (os.execvp), so Ctrl-C stops the server directly and no Django
development server is involved.
"""

from __future__ import annotations

import os
import shutil
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from silvershield.core.demo_data.organisation import DEMO_PASSWORD
from silvershield.core.demo_data.places import COUNTIES
from silvershield.core.demo_data.reset import has_seeded_data
from silvershield.core.management.commands.users import demo_usernames, format_accounts
from silvershield.core.models import User

# Printed in full; every other county has the same accounts under its own name.
_SHOWN_BUREAUS = ("city", "hongshan", "songshan")


class Command(BaseCommand):
    help = (
        "Run the demo: migrate, collect static files, seed when empty, print sign-ins, serve with gunicorn."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (default 2)")
        parser.add_argument("--seed", type=int, default=None, help="random seed for the demo data")
        parser.add_argument(
            "--no-serve", action="store_true", help="prepare and print the sign-ins, then stop"
        )

    def handle(
        self, *args, port: int, host: str, workers: int, seed: int | None, no_serve: bool, **options
    ) -> None:
        if not 0 < port < 65536:
            raise CommandError(f"--port: {port} is not a port number (1-65535)")
        if workers < 1:
            raise CommandError("--workers: at least 1")
        self.stdout.write("==> migrate")
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("==> collectstatic")
        call_command("collectstatic", interactive=False, verbosity=0)
        if has_seeded_data():
            self.stdout.write("==> the database already has data: not seeding (delete data/ to start over)")
        else:
            self.stdout.write("==> seed (first run only; about a minute)")
            call_command("seed", **({"seed": seed} if seed is not None else {}))
        self._print_sign_ins(host, port)
        if no_serve:
            return
        gunicorn = shutil.which("gunicorn") or os.path.join(os.path.dirname(sys.executable), "gunicorn")
        if not os.path.exists(gunicorn):
            raise CommandError("gunicorn is not installed in this environment (pip install gunicorn)")
        argv = [
            gunicorn,
            "silvershield.config.wsgi:application",
            "--bind",
            f"{host}:{port}",
            "--workers",
            str(workers),
            "--access-logfile",
            "-",
            "--timeout",
            "60",
        ]
        self.stdout.write(
            f"==> serving at http://{host}:{port}/ with gunicorn ({workers} workers); Ctrl-C stops"
        )
        self.stdout.flush()
        sys.stderr.flush()
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "silvershield.config.settings")
        os.execv(gunicorn, argv)

    def _print_sign_ins(self, host: str, port: int) -> None:
        wanted = [name for slug, name in demo_usernames() if slug in _SHOWN_BUREAUS]
        found = {u.username: u for u in User.objects.select_related("unit").filter(username__in=wanted)}
        users = [found[name] for name in wanted if name in found]
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Demo sign-ins 演示账号 — http://{host}:{port}/login/"))
        for line in format_accounts(users, password=DEMO_PASSWORD):
            self.stdout.write(line)
        others = ", ".join(c.slug for c in COUNTIES if c.slug not in _SHOWN_BUREAUS)
        self.stdout.write(
            f"Every other county has the same accounts under its name ({others}): e.g. aohan_legal, "
            "ningcheng_investigator. All: `silvershield users list --demo`. "
            "Admin site: /admin/ as city_sysadmin."
        )
        self.stdout.write("")
