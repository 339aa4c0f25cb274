import pytest


@pytest.fixture(autouse=True)
def _english(english):
    """Editor tests check English wording."""


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Every editor test writes its media files into a fresh folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PUBLIC_BASE_URL = "https://relais.example"
    return settings.MEDIA_ROOT
