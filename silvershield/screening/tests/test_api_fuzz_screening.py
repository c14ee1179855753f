"""The screening and board endpoints fuzzed from the OpenAPI schema as the 红山区 task office — who, unlike
the legal officer of core's fuzz test, sees an open meeting with its agenda and may decide — so generated
requests reach the agenda, the decision service and the board with real rows behind them."""

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from silvershield.config.wsgi import application
from silvershield.core.api_auth import issue_token
from silvershield.core.tests.test_api_fuzz import keep_test_connection  # noqa: F401 - fixture
from silvershield.screening import services
from silvershield.screening.tests.conftest import registered

MAX_EXAMPLES = int(os.environ.get("SILVERSHIELD_FUZZ_EXAMPLES", "25"))

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application).include(
    path_regex=r"^/api/v1/(screening|board)"
)


@pytest.fixture
def task_office_bearer(personas, org, keep_test_connection):  # noqa: F811
    from datetime import date

    lead = registered(personas, org)
    registered(personas, org, party_name="赤峰福寿源保健品店")
    meeting = services.open_meeting(
        actor=personas.task_office, held_on=date(2026, 11, 9), chair=personas.unit_head
    )
    services.record_decision(
        actor=personas.task_office,
        lead=lead,
        meeting=meeting,
        kind="no_action",
        category="product_sales",
        reasons="经核实不属于本部门职责",
    )
    _token, raw = issue_token(user=personas.task_office, name="fuzz")
    return {"Authorization": f"Bearer {raw}"}


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=os.environ.get("SILVERSHIELD_FUZZ_RANDOM") != "1",
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_screening_and_board_answer_every_generated_request_within_their_schema(case, task_office_bearer):
    # As in core's fuzz test: business rules the schema cannot express answer 400 by design.
    case.call_and_validate(headers=task_office_bearer, excluded_checks=[positive_data_acceptance])
