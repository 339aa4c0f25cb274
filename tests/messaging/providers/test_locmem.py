"""The locmem provider: an outbox for tests, answers as told, never the network."""

import uuid

import pytest

from messaging.providers import get_provider, locmem
from messaging.providers.locmem import LocmemProvider
from messaging.providers.normalized import Channel, OutboundMessage, ProviderError


@pytest.fixture(autouse=True)
def empty_outbox():
    locmem.reset()
    yield
    locmem.reset()


def rcs():
    return OutboundMessage(
        attempt_id=uuid.uuid4(), to="+33612345678", channel=Channel.RCS, rcs_content={"text": "Hi"}
    )


def sms():
    return OutboundMessage(
        attempt_id=uuid.uuid4(), to="+33612345678", channel=Channel.SMS, sms_text="Hi"
    )


def test_every_send_lands_in_the_outbox_in_order():
    provider = LocmemProvider()
    first, second = rcs(), sms()
    result = provider.send(first)
    provider.send(second)
    assert locmem.outbox == [first, second]
    assert result.provider_message_id == f"locmem-{first.attempt_id}"
    assert result.handles_fallback is False


def test_queued_errors_are_raised_one_per_call_then_sends_succeed():
    provider = LocmemProvider()
    refused = ProviderError("busy", permanent=False)
    locmem.errors.append(refused)
    with pytest.raises(ProviderError) as caught:
        provider.send(sms())
    assert caught.value is refused
    provider.send(sms())
    assert len(locmem.outbox) == 2


def test_a_message_no_provider_could_send_is_refused_before_the_outbox():
    with pytest.raises(ProviderError):
        LocmemProvider().send(OutboundMessage(attempt_id=uuid.uuid4(), to="06", channel="sms"))
    assert locmem.outbox == []


def test_settings_choose_channels_fallback_and_idempotency(settings):
    settings.LOCMEM_CHANNELS = ["rcs"]
    settings.LOCMEM_HANDLES_FALLBACK = True
    settings.LOCMEM_IDEMPOTENT = True
    provider = get_provider("locmem")
    assert provider.channels == {Channel.RCS}
    assert provider.idempotent is True
    assert provider.send(rcs()).handles_fallback is True
    assert provider.send(sms()).handles_fallback is False


def test_it_never_reaches_the_network():
    with pytest.raises(RuntimeError, match="never calls the network"):
        LocmemProvider().request("GET", "https://example.com/")
