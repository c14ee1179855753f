"""Portal test helpers; the browser fixtures are shared with core's browser tests."""

from __future__ import annotations

import re

import pytest

from silvershield.core.tests.browser.conftest import (  # noqa: F401 - fixtures
    browsing, chromium_browser, plain_static, screenshots,
)
from silvershield.portal import captcha


def open_form(client) -> str:
    """GET the report form; returns its one-time key."""
    response = client.get("/portal/report/")
    assert response.status_code == 200
    return re.search(r'name="key" value="([^"]+)"', response.content.decode()).group(1)


def solve(client, key: str) -> str:
    return str(captcha.answer_for(client.session, key))


def report_data(client, key: str | None = None, **overrides) -> dict:
    key = key or open_form(client)
    data = {
        "key": key,
        "relation": "child",
        "victim_age": "78",
        "approach": "free_lecture",
        "summary": "我父亲参加了免费健康讲座，被推销了一万多元的“降三高”保健品，还说能治病。",
        "loss_amount": "12,800",
        "division": "150402",
        "party_name": "赤峰康寿堂保健品店",
        "party_address": "红山区站前街12号",
        "wants": "report",
        "named": "named",
        "reporter_name": "王秀英",
        "reporter_phone": "13804761234",
        "lookup_digits": "",
        "captcha": solve(client, key),
    }
    data.update(overrides)
    return data


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    # Uploaded photos go to a throw-away folder, not the data folder.
    settings.MEDIA_ROOT = str(tmp_path / "media")
