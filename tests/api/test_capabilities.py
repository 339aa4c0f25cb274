"""POST /api/v1/capabilities: up to 10,000 numbers, each with its answer and cache age."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import make_contact

pytestmark = pytest.mark.django_db


def check(client, numbers):
    return client.post(
        "/api/v1/capabilities", {"numbers": numbers}, content_type="application/json"
    )


def test_capable_and_not_capable_test_numbers(api):
    response = check(api, ["+33699000001", "06 99 00 00 02"])
    assert response.status_code == 200
    results = {result["number"]: result for result in response.json()["results"]}
    assert results["+33699000001"]["capable"] is True
    assert results["+33699000002"]["capable"] is False
    for result in results.values():
        assert set(result) == {
            "number",
            "capable",
            "checked_at",
            "cache_age_seconds",
            "error",
            "error_code",
        }


def test_ten_thousand_numbers_are_answered(api):
    numbers = [f"+336{index:08d}" for index in range(10_000)]
    response = check(api, numbers)
    assert response.status_code == 200
    assert len(response.json()["results"]) == 10_000


def test_ten_thousand_and_one_numbers_are_refused_naming_numbers(api):
    numbers = [f"+336{index:08d}" for index in range(10_001)]
    response = check(api, numbers)
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert [error["field"] for error in response.json()["errors"]] == ["numbers"]


def test_empty_list_is_refused_naming_numbers(api):
    response = check(api, [])
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "numbers"


def test_cached_answer_says_how_old_it_is_and_a_fresh_one_is_age_zero(api):
    checked_at = timezone.now() - timedelta(hours=1)
    make_contact(phone="+33612345678", rcs_capable=False, rcs_checked_at=checked_at, test_mode=True)
    response = check(api, ["+33612345678", "+33699000001"])
    cached, fresh = response.json()["results"]
    # The cache wins over the simulator's answer for this number.
    assert cached["capable"] is False
    assert 3600 <= cached["cache_age_seconds"] < 3600 + 60
    assert fresh["capable"] is True
    assert fresh["cache_age_seconds"] == 0


def test_invalid_number_comes_back_as_given_with_an_error(api):
    [result] = check(api, ["12"]).json()["results"]
    assert result["number"] == "12"
    assert result["capable"] is None
    assert result["error"]
