"""Fixtures shared by every app's tests: the small organisation and its personas (core/testing.py)."""

import pytest

from silvershield.core.models import Role
from silvershield.core.testing import build_org, make_person


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Argon2 is right for production and far too slow for hundreds of test accounts.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _chinese_first():
    # A request through the test client leaves its language active in the thread (the middleware activates
    # it and nothing deactivates it); each test starts in the system's language, Chinese.
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _empty_cache():
    # Rate-limit and sign-in counters live in the cache; each test starts with none.
    from django.core.cache import cache

    from silvershield.core.memo import forget_all

    cache.clear()
    forget_all()
    yield
    cache.clear()
    forget_all()


@pytest.fixture
def org(db):
    return build_org()


@pytest.fixture
def personas(org):
    """The people tests act as, by what they are to a lead of 红山区."""

    class P:
        legal_officer = make_person("hs_legal", Role.LEGAL_OFFICER, org.hongshan, full_name="王法制")
        task_office = make_person("hs_task", Role.TASK_OFFICE, org.hongshan, full_name="李专班")
        unit_head = make_person("hs_head", Role.UNIT_HEAD, org.hongshan, full_name="赵所长")
        investigator = make_person("hs_inv1", Role.INVESTIGATOR, org.hongshan_institute, full_name="张执法")
        investigator2 = make_person("hs_inv2", Role.INVESTIGATOR, org.hongshan_institute, full_name="刘执法")
        reviewer = make_person("hs_review", Role.REVIEWER, org.hongshan, full_name="陈审核")
        hotline = make_person("hs_12315", Role.HOTLINE_OPERATOR, org.hongshan, full_name="周话务")
        expert = make_person("expert1", Role.EXPERT, org.city, full_name="孙专家")
        city_leader = make_person("city_leader", Role.LEADER, org.city, full_name="钱局长")
        # The outsider: a legal officer of 松山区, who must get 404 for 红山区's items.
        outsider = make_person("ss_legal", Role.LEGAL_OFFICER, org.songshan, full_name="吴松山")
        outsider_investigator = make_person("ss_inv", Role.INVESTIGATOR, org.songshan, full_name="郑松山")

    return P
