"""Relais-Signature: checked by an independent implementation, and by our own verify()."""

import hashlib
import hmac
import time

import pytest

from integrations import signing


def test_the_header_is_the_hmac_of_timestamp_dot_body_checked_independently():
    body = b'{"id":"e1","type":"message.sent"}'
    value = signing.header("whsec_abc", body, timestamp=1_700_000_000)

    t, v1 = (part.split("=", 1)[1] for part in value.split(","))
    assert t == "1700000000"
    expected = hmac.new(b"whsec_abc", b"1700000000." + body, hashlib.sha256).hexdigest()
    assert v1 == expected


def test_verify_accepts_a_fresh_signature_and_refuses_tampering_age_and_other_secrets():
    body = b'{"a":1}'
    now = time.time()
    good = signing.header("s1", body, timestamp=now)
    assert signing.verify("s1", body, good, now=now) == int(now)
    with pytest.raises(signing.InvalidSignature):
        signing.verify("s1", b'{"a":2}', good, now=now)
    with pytest.raises(signing.InvalidSignature):
        signing.verify("s2", body, good, now=now)
    with pytest.raises(signing.InvalidSignature):
        signing.verify("s1", body, good, now=now + 301)
    with pytest.raises(signing.InvalidSignature):
        signing.verify("s1", body, "v1=abc", now=now)
