import pytest

from .stub_server import StubServer


@pytest.fixture
def stub():
    with StubServer() as server:
        yield server
