from django.test import override_settings

from silvershield.core.checks import production_secrets


def test_demo_keys_are_refused_for_deployment():
    with override_settings(SECRET_KEY="silvershield-demo-only-key-x" * 3, SILVERSHIELD_FIELD_KEY=""):
        ids = {p.id for p in production_secrets(None)}
    assert {"silvershield.E001", "silvershield.E002"} <= ids


def test_real_keys_pass():
    with override_settings(SECRET_KEY="k" * 64, SILVERSHIELD_FIELD_KEY="x" * 44):
        ids = {p.id for p in production_secrets(None)}
    assert not {"silvershield.E001", "silvershield.E002"} & ids
