"""The segment screens: list with counts, builder with live count and sample, save with
errors in place, delete with confirmation, modes kept apart, viewers read-only."""

import json
import re

import pytest

from audience.models import Segment
from tests.factories import make_contact, make_list, make_segment
from tests.support.views import signed_in

pytestmark = pytest.mark.django_db


def rules(*conditions, match="all"):
    return {"match": match, "conditions": list(conditions)}


PARIS = {"kind": "attribute", "field": "attributes.city", "op": "equals", "value": "Paris"}


@pytest.fixture
def parisians():
    for index in range(3):
        make_contact(first_name=f"Paris {index}", attributes={"city": "Paris"})
    make_contact(first_name="Lyon", attributes={"city": "Lyon"})
    make_contact(first_name="Test Paris", attributes={"city": "Paris"}, test_mode=True)


def preview(client, rules_, query="", **extra):
    data = {"rules": json.dumps(rules_), **extra}
    return client.post(f"/audience/segments/preview/{query}", data).content.decode()


def live_count(page):
    return int(re.search(r"data-live-count>(\d+)<", page).group(1))


def test_the_preview_counts_the_contacts_the_rules_match_and_shows_a_sample(client, parisians):
    signed_in(client)
    page = preview(client, rules(PARIS))

    assert live_count(page) == 3
    assert "contacts match, of 4" in page
    assert page.count('class="list-group-item') == 3
    assert "Lyon" not in page and "Test Paris" not in page
    # The badge next to the rules updates out of band.
    assert 'id="segment-count-badge" class="badge rounded-pill text-bg-primary" hx-swap-oob' in page
    assert live_count(preview(client, rules())) == 4
    assert live_count(preview(client, rules(PARIS), "?mode=test")) == 1


def test_the_sample_holds_twenty_contacts_and_the_count_all_of_them(client):
    for _ in range(25):
        make_contact()
    signed_in(client)
    page = preview(client, rules())
    assert live_count(page) == 25
    assert page.count('class="list-group-item') == 20
    assert "The latest 20 of them" in page


def test_the_preview_names_the_bad_parts_instead_of_counting(client, parisians):
    signed_in(client)
    page = preview(client, rules(PARIS, {**PARIS, "op": "like"}))

    assert "data-live-count" not in page
    errors = json.loads(re.search(r'id="segment-rule-errors"[^>]*>(.*?)</script>', page).group(1))
    assert list(errors) == ["conditions[1].op"]


def test_saving_a_new_segment_keeps_its_rules_in_the_mode_looked_at(client, parisians):
    signed_in(client)
    response = client.post(
        "/audience/segments/new/?mode=test",
        {"name": "Parisiens", "description": "", "rules": json.dumps(rules(PARIS))},
    )

    assert response.status_code == 302
    assert response["Location"] == "/audience/segments/?mode=test"
    segment = Segment.objects.get(name="Parisiens")
    assert segment.test_mode and segment.rules == rules(PARIS)
    assert segment.contacts().count() == 1


def test_a_bad_rule_is_refused_with_its_message_next_to_it(client, parisians):
    signed_in(client)
    visits = {"kind": "attribute", "field": "attributes.visits", "op": "gt", "value": "x"}
    bad = rules(PARIS, visits)
    page = client.post(
        "/audience/segments/new/", {"name": "Bad", "rules": json.dumps(bad)}
    ).content.decode()

    assert not Segment.objects.exists()
    assert "Some conditions need fixing" in page
    row = page.split('data-path="conditions[1]"', 1)[1].split("data-condition", 1)[0]
    assert "give a number, or a date as YYYY-MM-DD" in row
    # What was typed stays on the screen.
    assert 'value="x"' in row


def test_names_are_unique_in_a_mode(client):
    signed_in(client)
    make_segment(name="VIP")
    page = client.post("/audience/segments/new/", {"name": "vip", "rules": json.dumps(rules())})
    assert "Another segment already has this name." in page.content.decode()
    response = client.post(
        "/audience/segments/new/?mode=test", {"name": "VIP", "rules": json.dumps(rules())}
    )
    assert response.status_code == 302


def test_editing_draws_the_saved_rules_and_their_count(client, parisians):
    signed_in(client)
    vip = make_list(name="VIP")
    segment = make_segment(
        name="Paris VIP",
        rules=rules(PARIS, rules({"kind": "list", "list_id": vip.pk}, match="any")),
    )
    page = client.get(f"/audience/segments/{segment.pk}/").content.decode()

    assert live_count(page) == 0
    assert 'data-path="conditions[1]"' in page and 'data-path="conditions[1].conditions[0]"' in page
    assert f'<option value="{vip.pk}" selected>VIP</option>' in page
    assert '<option value="attributes.city" selected>city</option>' in page

    response = client.post(
        f"/audience/segments/{segment.pk}/",
        {"name": "Paris", "description": "Tous", "rules": json.dumps(rules(PARIS))},
    )
    assert response.status_code == 302
    segment.refresh_from_db()
    assert (segment.name, segment.rules) == ("Paris", rules(PARIS))


def test_the_list_shows_the_segments_of_one_mode_and_counts_each(client, parisians):
    signed_in(client)
    live = make_segment(name="Parisiens", rules=rules(PARIS))
    make_segment(name="Test segment", test_mode=True)

    page = client.get("/audience/segments/").content.decode()
    assert "Parisiens" in page and "Test segment" not in page
    count = client.get(f"/audience/segments/{live.pk}/count/").content.decode()
    assert re.search(r'data-count="3"', count)
    assert "Test segment" in client.get("/audience/segments/?mode=test").content.decode()


def test_a_deleted_list_matches_nobody_and_a_deleted_segment_needs_fixing(client):
    signed_in(client)
    make_contact()
    gone = make_list()
    segment = make_segment(rules=rules({"kind": "list", "list_id": gone.pk}))
    other = make_segment(rules=rules({"kind": "segment", "segment_id": segment.pk}))
    gone.delete()
    count = client.get(f"/audience/segments/{segment.pk}/count/").content.decode()
    assert re.search(r'data-count="0"', count)

    Segment.objects.filter(pk=segment.pk).delete()
    count = client.get(f"/audience/segments/{other.pk}/count/").content.decode()
    assert "needs fixing" in count


def test_delete_asks_first_and_refuses_while_another_segment_uses_it(client):
    signed_in(client)
    base = make_segment(name="Base")
    user = make_segment(name="User", rules=rules({"kind": "segment", "segment_id": base.pk}))

    page = client.get(f"/audience/segments/{base.pk}/delete/").content.decode()
    assert "Other segments use this one" in page and "User" in page
    assert client.post(f"/audience/segments/{base.pk}/delete/").status_code == 409
    assert Segment.objects.filter(pk=base.pk).exists()

    user.delete()
    page = client.get(f"/audience/segments/{base.pk}/delete/").content.decode()
    assert "Delete the segment" in page
    response = client.post(f"/audience/segments/{base.pk}/delete/")
    assert response.status_code == 302
    assert not Segment.objects.filter(pk=base.pk).exists()


def test_a_viewer_sees_the_builder_read_only_and_cannot_write(client, parisians):
    signed_in(client, role="Viewer")
    segment = make_segment(name="Parisiens", rules=rules(PARIS))

    page = client.get(f"/audience/segments/{segment.pk}/").content.decode()
    assert live_count(page) == 3
    assert "Save the segment" not in page and 'data-action="add-condition"' not in page
    assert 'data-editable="false"' in page
    assert "New segment" not in client.get("/audience/segments/").content.decode()
    response = client.post(
        f"/audience/segments/{segment.pk}/", {"name": "Mine", "rules": json.dumps(rules())}
    )
    assert response.status_code == 403
    assert client.post(f"/audience/segments/{segment.pk}/delete/").status_code == 403
    assert Segment.objects.get().name == "Parisiens"


def test_the_audience_page_links_to_the_segments(client):
    signed_in(client)
    assert 'href="/audience/segments/"' in client.get("/audience/").content.decode()


def test_a_registered_kind_gets_its_inputs_and_an_unknown_one_is_kept(client):
    signed_in(client)
    segment = make_segment(
        rules=rules({"kind": "received", "within_days": 14}, {"kind": "opened_email", "days": 3})
    )
    page = client.get(f"/audience/segments/{segment.pk}/").content.decode()

    received = page.split('data-path="conditions[0]"', 1)[1].split("data-condition", 1)[0]
    assert 'data-param="within_days" data-type="int" value="14" min="1" max="3650"' in received
    unknown = page.split('data-path="conditions[1]"', 1)[1].split(">", 1)[0]
    assert unknown.startswith(" data-raw=") and "opened_email" in unknown
    # The rule it cannot read keeps the segment from being counted or saved as it is.
    assert "Fix the highlighted conditions" in page


def test_rules_that_are_not_rules_are_refused_not_a_500(client):
    signed_in(client)
    for posted in ["[1, 2", '{"match": [], "conditions": {}}', '"all"', "null"]:
        save = client.post("/audience/segments/new/", {"name": "Odd", "rules": posted})
        count = client.post("/audience/segments/preview/", {"rules": posted})
        assert (save.status_code, count.status_code) == (200, 200), posted
        assert "data-live-count" not in count.content.decode()
    assert not Segment.objects.exists()
