"""A provider for tests that sends nothing and keeps every message in an outbox.

Like Django's locmem email backend (and anymail's test backend): select it with
MESSAGING_PROVIDER = "locmem", then read `locmem.outbox`. Queue ProviderErrors in
`locmem.errors` to make the next calls fail, one error per call. The settings
LOCMEM_CHANNELS, LOCMEM_HANDLES_FALLBACK and LOCMEM_IDEMPOTENT make it behave like a
provider that carries only some channels, falls back by itself, or ignores a repeated call.
"""

from .base import BaseProvider
from .normalized import Channel, EventType, OutboundMessage, ProviderError, SendResult

# Every message the provider accepted or refused, in order (validation refusals excepted).
outbox: list[OutboundMessage] = []
# Errors to raise, first one first: each call takes the next one instead of succeeding.
errors: list[ProviderError] = []


def reset():
    """Empty the outbox and forget queued errors."""
    outbox.clear()
    errors.clear()


class LocmemProvider(BaseProvider):
    """Records each send in `outbox` and answers as told; never touches the network."""

    name = "locmem"

    def __init__(self, *, channels=None, handles_fallback=False, idempotent=False, **kwargs):
        super().__init__(**kwargs)
        if channels is not None:
            self.channels = frozenset(Channel(channel) for channel in channels)
        self.handles_fallback = bool(handles_fallback)
        self.idempotent = bool(idempotent)

    @classmethod
    def from_settings(cls, settings):
        return cls(
            channels=getattr(settings, "LOCMEM_CHANNELS", None),
            handles_fallback=getattr(settings, "LOCMEM_HANDLES_FALLBACK", False),
            idempotent=getattr(settings, "LOCMEM_IDEMPOTENT", False),
        )

    def request(self, method, url, **kwargs):
        raise RuntimeError(f"The locmem provider never calls the network ({method} {url}).")

    def send_rcs(self, msg):
        return self._record(msg)

    def send_sms(self, msg):
        return self._record(msg)

    def _record(self, msg):
        outbox.append(msg)
        if errors:
            raise errors.pop(0)
        return SendResult(
            provider_message_id=f"locmem-{msg.attempt_id}",
            status=EventType.SENT,
            raw={"accepted": True},
            handles_fallback=self.handles_fallback and msg.channel == Channel.RCS,
        )
