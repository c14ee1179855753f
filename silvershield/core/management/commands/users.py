"""`silvershield users add|list`: create accounts and list them.

    silvershield users add --username wang_fz --role legal_officer --unit 150402 --full-name 王法制
    silvershield users add --username li_zf --role investigator --unit 150402-S01 \
        --credential 150402201900017 --password-file /run/secrets/li_zf
    silvershield users list [--unit 150402] [--role investigator] [--demo]

The password comes from a prompt (asked twice, not echoed) or from the first line of --password-file, and
must pass the project's password validators (settings.AUTH_PASSWORD_VALIDATORS).
"""

from __future__ import annotations

import getpass
from pathlib import Path

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from silvershield.core.demo_data.organisation import CITY_ONLY_ROLES, DEMO_PASSWORD, ROLE_SLUGS
from silvershield.core.demo_data.places import COUNTIES
from silvershield.core.models import OrgUnit, Role, Speciality, User

_USERNAME_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.@+-")


def demo_usernames() -> list[tuple[str, str]]:
    """(bureau slug, username) of the well-known demo accounts, city first, in role order."""
    names = []
    for slug in ["city", *(c.slug for c in COUNTIES)]:
        for role, role_slug in ROLE_SLUGS.items():
            if slug != "city" and role in CITY_ONLY_ROLES:
                continue
            names.append((slug, f"{slug}_{role_slug}"))
    return names


def format_accounts(users: list[User], *, password: str | None = None) -> list[str]:
    """A plain table: role, unit, username, and the password when every account listed shares one."""
    headers: tuple[str, ...] = ("role 角色", "unit 单位", "username 用户名")
    rows: list[tuple[str, ...]] = [(str(Role(u.role).label), u.unit.name, u.username) for u in users]
    if password:
        headers += ("password 密码",)
        rows = [(*row, password) for row in rows]
    widths = [max([_width(h), *(_width(r[i]) for r in rows)]) for i, h in enumerate(headers)]
    lines = ["  ".join(_pad(h, w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(_pad(c, w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    return lines


def _width(text: str) -> int:
    # CJK characters take two columns in a terminal.
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


class Command(BaseCommand):
    help = "Create an account (users add) or list accounts (users list)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{add,list}")
        add = sub.add_parser("add", help="create an account")
        add.add_argument("--username", required=True)
        add.add_argument("--role", required=True, help="one of: " + ", ".join(Role.values))
        add.add_argument("--unit", required=True, help="the unit's code, e.g. 150402 or 150402-S01")
        add.add_argument("--full-name", default="")
        add.add_argument(
            "--credential", default="", help="enforcement credential number (investigators need one)"
        )
        add.add_argument("--speciality", action="append", default=[], choices=Speciality.values)
        add.add_argument("--phone", default="")
        add.add_argument("--email", default="")
        add.add_argument(
            "--password-file",
            type=Path,
            default=None,
            help="read the password from the first line of this file instead of prompting",
        )
        listing = sub.add_parser("list", help="list accounts")
        listing.add_argument("--unit", default="", help="only this unit and the units below it")
        listing.add_argument("--role", default="", choices=["", *Role.values])
        listing.add_argument("--demo", action="store_true", help="only the well-known demo accounts")

    def handle(self, *args, action: str, **options) -> None:
        if action == "add":
            self._add(**options)
        else:
            self._list(**options)

    def _add(
        self,
        *,
        username: str,
        role: str,
        unit: str,
        full_name: str,
        credential: str,
        speciality: list[str],
        phone: str,
        email: str,
        password_file: Path | None,
        **_options,
    ) -> None:
        username = username.strip()
        if not username or not set(username) <= _USERNAME_CHARS or len(username) > 150:
            raise CommandError("--username: use 1-150 letters, digits and _ . @ + -")
        if User.objects.filter(username=username).exists():
            raise CommandError(f"--username: an account named {username!r} already exists")
        if role not in Role.values:
            raise CommandError(f"--role: unknown role {role!r}; choose one of: {', '.join(Role.values)}")
        org_unit = OrgUnit.objects.filter(code=unit.strip()).first()
        if org_unit is None:
            known = ", ".join(OrgUnit.objects.filter(kind="bureau").values_list("code", flat=True)[:14])
            raise CommandError(
                f"--unit: no unit with code {unit!r}" + (f" (bureaus: {known}, …)" if known else "")
            )
        if role == Role.INVESTIGATOR and not credential.strip():
            raise CommandError(
                "--credential: an investigator needs an enforcement credential number (程序规定 Art. 19)"
            )
        user = User(
            username=username,
            role=role,
            unit=org_unit,
            full_name=full_name.strip() or username,
            credential_number=credential.strip(),
            specialities=speciality,
            phone=phone.strip(),
            email=email.strip(),
            is_staff=role == Role.SYSTEM_ADMIN,
            is_superuser=role == Role.SYSTEM_ADMIN,
        )
        password = self._password(password_file)
        try:
            validate_password(password, user=user)
        except ValidationError as exc:
            raise CommandError("password: " + " ".join(exc.messages)) from exc
        user.set_password(password)
        with transaction.atomic():
            user.save()
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {username} ({Role(role).label}) in {org_unit.name} [{org_unit.code}]"
            )
        )

    def _password(self, password_file: Path | None) -> str:
        if password_file is not None:
            try:
                lines = password_file.read_text(encoding="utf-8").splitlines()
            except OSError as exc:
                raise CommandError(f"--password-file: cannot read {password_file}: {exc.strerror}") from exc
            if not lines or not lines[0]:
                raise CommandError(f"--password-file: {password_file} is empty")
            return lines[0]
        try:
            first = getpass.getpass("Password: ")
            second = getpass.getpass("Password (again): ")
        except (EOFError, KeyboardInterrupt) as exc:
            raise CommandError(
                "password: no password given (use --password-file when not at a terminal)"
            ) from exc
        if first != second:
            raise CommandError("password: the two entries differ")
        return first

    def _list(self, *, unit: str, role: str, demo: bool, **_options) -> None:
        users = User.objects.select_related("unit").order_by("unit__path", "role", "username")
        if unit:
            root = OrgUnit.objects.filter(code=unit).first()
            if root is None:
                raise CommandError(f"--unit: no unit with code {unit!r}")
            users = users.filter(unit__path__startswith=root.path)
        if role:
            users = users.filter(role=role)
        if demo:
            order = [name for _slug, name in demo_usernames()]
            found = {u.username: u for u in users.filter(username__in=order)}
            listed = [found[name] for name in order if name in found]
            for line in format_accounts(listed, password=DEMO_PASSWORD):
                self.stdout.write(line)
            return
        for line in format_accounts(list(users)):
            self.stdout.write(line)
