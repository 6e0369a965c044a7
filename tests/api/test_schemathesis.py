"""Property-based calls from the OpenAPI spec (schemathesis): no input gives a server error."""

from __future__ import annotations

import pytest
import schemathesis
from analysis.conftest import weekly_stories
from hypothesis import HealthCheck, settings

from dyadwatch.analysis.alerts import find_alerts
from dyadwatch.api import create_app
from dyadwatch.store import Store


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory) -> object:
    db = tmp_path_factory.mktemp("fuzz") / "fuzz.duckdb"
    with Store(db) as store:
        store.write_batch(
            events=[
                *weekly_stories(range(0, 20), 3, 3.0, seed=1),
                *weekly_stories(range(20, 26), 3, -4.0, seed=2),
            ]
        )
        store.save_alerts(find_alerts(store))
    return schemathesis.openapi.from_asgi("/openapi.json", create_app(db))


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_no_input_gives_a_server_error(case: schemathesis.Case) -> None:
    response = case.call()
    assert response.status_code < 500, (case.path, case.query, response.text[:300])
