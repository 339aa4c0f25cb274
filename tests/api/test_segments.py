"""GET /api/v1/segments and GET /api/v1/segments/{id}/count, in the key's mode."""

from audience.models import Segment
from tests.factories import make_api_key, make_contact, make_segment

CITY = {"kind": "attribute", "field": "attributes.city", "op": "equals", "value": "Paris"}
PARIS = {"match": "all", "conditions": [CITY]}


def test_the_list_holds_the_segments_of_the_keys_mode_with_counts_when_asked(api):
    make_contact(test_mode=True, attributes={"city": "Paris"})
    make_contact(test_mode=True, attributes={"city": "Lyon"})
    make_contact(attributes={"city": "Paris"})
    make_segment(name="Paris (test)", test_mode=True, rules=PARIS, description="Parisiens")
    make_segment(name="Paris (live)", rules=PARIS)

    plain = api.get("/api/v1/segments").json()["results"]
    counted = api.get("/api/v1/segments?count=true").json()["results"]

    assert [(item["name"], item["description"], item["count"]) for item in plain] == [
        ("Paris (test)", "Parisiens", None)
    ]
    assert plain[0]["test_mode"] is True
    assert counted[0]["count"] == 1


def test_the_count_of_one_segment_is_taken_when_asked(api):
    segment = make_segment(name="Paris", test_mode=True, rules=PARIS)
    url = f"/api/v1/segments/{segment.public_id}/count"
    assert api.get(url).json()["count"] == 0

    make_contact(test_mode=True, attributes={"city": "paris"})
    body = api.get(url).json()
    assert (body["id"], body["name"], body["count"]) == (str(segment.public_id), "Paris", 1)
    assert body["counted_at"]


def test_a_segment_of_the_other_mode_or_no_uuid_is_a_404(api, client_for):
    live = make_segment(name="Live")
    assert api.get(f"/api/v1/segments/{live.public_id}/count").status_code == 404
    assert api.get("/api/v1/segments/12/count").status_code == 404
    live_client = client_for(make_api_key(mode="live")[1])
    assert live_client.get(f"/api/v1/segments/{live.public_id}/count").status_code == 200


def test_a_segment_that_uses_a_deleted_segment_is_a_named_409(api, english):
    gone = make_segment(test_mode=True)
    segment = make_segment(
        test_mode=True,
        rules={"match": "all", "conditions": [{"kind": "segment", "segment_id": gone.pk}]},
    )
    Segment.objects.filter(pk=gone.pk).delete()

    response = api.get(f"/api/v1/segments/{segment.public_id}/count")
    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "segment_needs_fixing"
    assert "a segment these rules name is gone" in response.json()["detail"]


def test_a_bad_count_parameter_is_a_422(api):
    response = api.get("/api/v1/segments?count=many")
    assert response.status_code == 422
