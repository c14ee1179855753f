"""Ad monitoring test fixtures: monitors of 红山区 and 松山区, and a city monitor."""

import pytest

from silvershield.core.models import Role
from silvershield.core.testing import make_person
from silvershield.core.tests.browser.conftest import (  # noqa: F401
    browsing,
    chromium_browser,
    plain_static,
    screenshots,
)


@pytest.fixture
def monitors(org):
    class M:
        hongshan = make_person("hs_ads", Role.AD_MONITOR, org.hongshan, full_name="孟监测")
        songshan = make_person("ss_ads", Role.AD_MONITOR, org.songshan, full_name="宋监测")
        city = make_person("city_ads", Role.AD_MONITOR, org.city, full_name="程监测")
        hongshan_leader = make_person("hs_leader", Role.LEADER, org.hongshan, full_name="洪局长")
        hotline = make_person("hs_hotline", Role.HOTLINE_OPERATOR, org.hongshan, full_name="周话务")

    return M


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
