"""bulk_set writes what save() writes, whatever the strings and JSON hold (SQLite or PG).

On PostgreSQL the text and JSON columns go as array literals escaped by bulk_sql itself.
"""

from datetime import datetime

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sending.models import Message
from sending.services.bulk_sql import bulk_set
from tests.factories import make_contact, make_sent_message

pytestmark = pytest.mark.django_db

# PostgreSQL text holds no NUL character, whichever way it is written.
texts = st.text(st.characters(exclude_characters="\x00"), max_size=40)
awkward = st.sampled_from(["", "NULL", "null", '"', "\\", "\\\\", '\\"', "{a,b}", " ", "a b"])
strings = texts | awkward
# Aware, in any offset, to the microsecond.
moments = st.datetimes(
    min_value=datetime(1990, 1, 1), max_value=datetime(2090, 1, 1), timezones=st.timezones()
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | strings,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(strings, inner, max_size=3),
    max_leaves=8,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(
        st.tuples(
            strings,
            st.none() | st.lists(json_values, max_size=3),
            strings,
            st.integers(0, 30),
            st.none() | moments,
        ),
        min_size=1,
        max_size=4,
    )
)
def test_bulk_set_writes_texts_and_json_as_given(rows):
    contact = make_contact(opted_in=True, test_mode=True)
    messages = [
        make_sent_message(contact, external_id=f"bulk-{index}") for index in range(len(rows))
    ]
    now = timezone.now()
    for message, (text, found, detail, segments, until) in zip(messages, rows, strict=True):
        message.sms_text, message.links, message.status_detail = text, found, detail
        message.sms_segments, message.locked_until = segments, until
        message.status = Message.Status.FAILED
        message.updated = now
    written = ["sms_text", "links", "status_detail", "sms_segments", "locked_until", "status"]
    written.append("updated")
    bulk_set(Message, messages, written)
    for message, row in zip(messages, rows, strict=True):
        stored = Message.objects.get(pk=message.pk)
        assert (
            stored.sms_text,
            stored.links,
            stored.status_detail,
            stored.sms_segments,
            stored.locked_until,
        ) == row
        assert (stored.status, stored.updated) == ("failed", now)
