"""Fixtures of the outbound webhook tests."""

import pytest

from tests.support.stub_server import StubServer


@pytest.fixture
def receiver(settings):
    """A local HTTP receiver (private addresses allowed for it); queue answers with reply()."""
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    with StubServer() as stub:
        yield stub
