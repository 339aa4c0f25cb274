"""A rollout's first share is exactly its share of the audience (rounded half up, at least one
contact), the contacts whose draw for the seed is lowest: the same in SQL and in Python."""

import pytest

from audience.models import Contact
from sending import services
from sending.models import Message
from sending.services.snapshot import bucket
from tests.factories import make_dispatch, make_list, make_published_template
from tests.support.campaigns import bulk_list

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("share", "audience", "size"),
    [
        (0.1, 60, 6),
        (0.25, 10, 3),  # 2.5, rounded half up
        (0.29, 50, 15),  # 14.5 in decimal, 14.4999… in binary floating point
        (0.01, 10, 1),  # at least one
        (0.99, 3, 3),
        (0.1, 0, 0),
    ],
)
def test_the_first_share_is_the_share_of_the_audience_rounded_half_up(share, audience, size):
    first_share = services.FirstShare(share=share, seed="s")
    assert first_share.size(audience) == size
    assert len(first_share.first(range(1, audience + 1))) == size


def test_the_first_share_is_the_lowest_draws_whatever_the_order_of_the_ids():
    first_share = services.FirstShare(share=0.2, seed="campaign-3:rollout")
    ids = list(range(100, 150))
    chosen = first_share.first(ids)
    assert chosen == first_share.first(reversed(ids))
    highest = max(bucket(first_share.seed, pk) for pk in chosen)
    assert all(bucket(first_share.seed, pk) > highest for pk in set(ids) - chosen)


@pytest.mark.parametrize(("share", "count"), [(0.29, 50), (0.01, 30)])
def test_a_snapshot_puts_the_first_share_in_stage_0(share, count, jobs):
    _template, version = make_published_template(slug="promo_first_share")
    ids = bulk_list(make_list(test_mode=True), count)
    dispatch = make_dispatch(version)
    first_share = services.FirstShare(share=share, seed="campaign-9:rollout")

    services.snapshot_audience(
        dispatch, Contact.objects.filter(pk__in=ids), {}, stage_of=first_share
    )

    stage_0 = Message.objects.filter(dispatch=dispatch, stage=0)
    first = set(stage_0.values_list("contact_id", flat=True))
    assert first == first_share.first(ids)
    assert len(first) == first_share.size(count)
