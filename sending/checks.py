"""System checks of the sending path's addresses (manage.py check, migrate, rqworker)."""

from django.conf import settings
from django.core.checks import Warning


def check_public_base_url(app_configs=None, **kwargs):
    """Warn a production installation that builds provider-facing URLs on localhost."""
    if settings.DEBUG or getattr(settings, "PUBLIC_BASE_URL_GIVEN", True):
        return []
    return [
        Warning(
            f"PUBLIC_BASE_URL is not set: webhook, media and tracked-link URLs use "
            f"{settings.PUBLIC_BASE_URL}, which providers and phones cannot reach.",
            hint="Set PUBLIC_BASE_URL to the https address of your reverse proxy "
            "(see docs/operations.md).",
            id="sending.W001",
        )
    ]
