"""`silvershield users add|list` and `silvershield demo`: accounts from the command line, clear errors."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from silvershield.core.models import Role, User


def _add(*args: str, password_file=None) -> None:
    argv = ["users", "add", *args]
    if password_file is not None:
        argv += ["--password-file", str(password_file)]
    call_command(*argv)


@pytest.fixture
def password_file(tmp_path):
    path = tmp_path / "password"
    path.write_text("Grassland-Shield-2026\n", encoding="utf-8")
    return path


def test_users_add_creates_an_account_in_the_unit(org, password_file, capsys):
    _add(
        "--username",
        "li_zf",
        "--role",
        "investigator",
        "--unit",
        "150402-S01",
        "--full-name",
        "李执法",
        "--credential",
        "150402201900017",
        "--speciality",
        "food",
        password_file=password_file,
    )
    user = User.objects.get(username="li_zf")
    assert (user.role, user.unit.code, user.full_name) == (Role.INVESTIGATOR, "150402-S01", "李执法")
    assert user.credential_number == "150402201900017" and user.specialities == ["food"]
    assert user.check_password("Grassland-Shield-2026")
    assert not user.is_staff
    assert "Created li_zf" in capsys.readouterr().out


def test_users_add_system_admin_can_use_the_admin_site(org, password_file):
    _add("--username", "it_admin", "--role", "system_admin", "--unit", "150400", password_file=password_file)
    admin = User.objects.get(username="it_admin")
    assert admin.is_staff and admin.is_superuser


def test_users_add_prompts_twice_for_the_password(org, monkeypatch):
    answers = iter(["Grassland-Shield-2026", "Grassland-Shield-2026"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    _add("--username", "wang_fz", "--role", "legal_officer", "--unit", "150402")
    assert User.objects.get(username="wang_fz").check_password("Grassland-Shield-2026")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--username", "x1", "--role", "sheriff", "--unit", "150402"], "--role: unknown role 'sheriff'"),
        (["--username", "x1", "--role", "leader", "--unit", "999999"], "--unit: no unit with code '999999'"),
        (["--username", "x1", "--role", "investigator", "--unit", "150402"], "--credential"),
        (["--username", "bad name", "--role", "leader", "--unit", "150402"], "--username"),
    ],
)
def test_users_add_names_the_bad_option(org, password_file, args, message):
    with pytest.raises(CommandError, match=message):
        _add(*args, password_file=password_file)
    assert not User.objects.filter(username__in=["x1", "bad name"]).exists()


def test_users_add_refuses_a_weak_or_mistyped_password(org, tmp_path, monkeypatch):
    weak = tmp_path / "weak"
    weak.write_text("12345678\n", encoding="utf-8")
    with pytest.raises(CommandError, match="^password: "):
        _add("--username", "x2", "--role", "leader", "--unit", "150402", password_file=weak)
    answers = iter(["Grassland-Shield-2026", "Grassland-Shield-2027"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    with pytest.raises(CommandError, match="differ"):
        _add("--username", "x2", "--role", "leader", "--unit", "150402")
    with pytest.raises(CommandError, match="--password-file"):
        _add("--username", "x2", "--role", "leader", "--unit", "150402", password_file=tmp_path / "missing")
    assert not User.objects.filter(username="x2").exists()


def test_users_add_refuses_an_existing_username(org, personas, password_file):
    with pytest.raises(CommandError, match="already exists"):
        _add("--username", "hs_legal", "--role", "leader", "--unit", "150402", password_file=password_file)


def test_users_list_shows_accounts_under_a_unit(org, personas, capsys):
    call_command("users", "list", "--unit", "150402")
    out = capsys.readouterr().out
    assert "hs_legal" in out and "hs_inv1" in out and "ss_legal" not in out


def test_demo_prints_the_sign_ins_without_seeding_a_database_with_data(personas, settings, tmp_path, capsys):
    settings.STATIC_ROOT = tmp_path / "static"
    from silvershield.core.testing import make_person

    make_person("city_legal", Role.LEGAL_OFFICER, personas.city_leader.unit)
    call_command("demo", "--no-serve", "--port", "8123")
    out = capsys.readouterr().out
    assert "not seeding" in out
    assert "http://127.0.0.1:8123/login/" in out
    assert "city_legal" in out and "Demo-2026-silver" in out


def test_demo_refuses_a_bad_port(db):
    with pytest.raises(CommandError, match="--port"):
        call_command("demo", "--no-serve", "--port", "70000")
