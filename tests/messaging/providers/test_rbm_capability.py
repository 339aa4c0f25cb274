"""RBM capability checks: one number, batches of 10,000, paced."""

import uuid

from tests.support.providers import AGENT, NUMBER, CountingPacer, fixture_json, make_rbm


def test_capability_check_asks_for_one_number_with_a_fresh_request_id(stub):
    stub.reply_json(fixture_json("rbm", "capabilities_ok.json"))
    result = make_rbm(stub).check_capability(NUMBER)
    assert stub.last.method == "GET"
    assert stub.last.path == f"/v1/phones/{NUMBER}/capabilities"
    assert stub.last.query["agentId"] == [AGENT]
    uuid.UUID(stub.last.query["requestId"][0])
    assert result.capable is True
    assert "RICHCARD_CAROUSEL" in result.features


def test_capability_404_means_not_capable(stub):
    stub.reply_json(fixture_json("rbm", "error_not_found.json"), status=404)
    result = make_rbm(stub).check_capability(NUMBER)
    assert result.capable is False
    assert result.features == []


def test_batch_capability_uses_users_batch_get(stub):
    stub.reply_json(fixture_json("rbm", "batch_get_ok.json"))
    numbers = ["+33612345678", "+33600000001", "+33687654321"]
    result = make_rbm(stub).check_capabilities(numbers)
    assert stub.last.method == "POST"
    assert stub.last.path == "/v1/users:batchGet"
    assert stub.last.json() == {"users": numbers, "agentId": AGENT}
    assert result == {"+33612345678": True, "+33600000001": False, "+33687654321": True}


def test_batches_hold_at_most_10000_numbers_and_are_paced(stub):
    stub.reply_json({"reachableUsers": []})
    stub.reply_json({"reachableUsers": ["+33610010000"]})
    numbers = [f"+3361{index:07d}" for index in range(10_001)]
    pacer = CountingPacer()
    result = make_rbm(stub, batch_pacer=pacer).check_capabilities(numbers + numbers[:5])
    assert [len(r.json()["users"]) for r in stub.requests] == [10_000, 1]
    assert pacer.waits == 2
    assert len(result) == 10_001
    assert result["+33610010000"] is True
