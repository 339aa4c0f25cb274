import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_asgi_application()

# gunicorn runs no system check: a provider that cannot start stops the web process here too.
from messaging.providers.checks import ensure_provider_settings  # noqa: E402

ensure_provider_settings()
