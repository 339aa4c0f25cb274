"""Authentication of API calls by API key, with a per-key rate limit."""

import functools
import logging
import math
import time

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from limits import RateLimitItemPerMinute
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from ninja.security import HttpBearer

from api.models import ApiKey, hash_key
from api.problems import ApiProblem, Unauthorized

logger = logging.getLogger(__name__)

RATE_LIMIT_NAMESPACE = "api-key"


def limits_storage_uri(redis_url: str) -> str:
    """The `limits` storage URI for a redis-py URL (limits spells unix sockets redis+unix://)."""
    if redis_url.startswith("unix://"):
        return "redis+unix://" + redis_url.removeprefix("unix://")
    return redis_url


@functools.cache
def _limiter(storage_uri: str) -> MovingWindowRateLimiter:
    storage = storage_from_string(storage_uri, key_prefix="relais-ratelimit")
    return MovingWindowRateLimiter(storage)


def check_rate_limit(api_key: ApiKey) -> None:
    """Count one request for the key; raise ApiProblem 429 with Retry-After past its limit."""
    limiter = _limiter(limits_storage_uri(settings.REDIS_URL))
    item = RateLimitItemPerMinute(api_key.rate_limit_per_minute)
    # The hash, not the primary key: a re-used id must not inherit another key's window.
    identity = api_key.key_hash[:24]
    try:
        allowed = limiter.hit(item, RATE_LIMIT_NAMESPACE, identity)
        if allowed:
            return
        reset_time = limiter.get_window_stats(item, RATE_LIMIT_NAMESPACE, identity).reset_time
    except Exception:
        # The limit protects capacity, not secrets: when Redis is down, serving beats refusing.
        logger.warning("Rate limit storage unavailable; request allowed", exc_info=True)
        return
    retry_after = max(1, math.ceil(reset_time - time.time()))
    raise ApiProblem(
        429,
        _("Too many requests"),
        _rate_limited_detail(api_key.rate_limit_per_minute, retry_after),
        code="rate_limited",
        headers={
            "Retry-After": str(retry_after),
            "RateLimit-Limit": str(api_key.rate_limit_per_minute),
        },
    )


def _rate_limited_detail(limit, seconds):
    """The 429 detail: the key's limit and when to retry, each a sentence of its own."""
    return " ".join(
        (
            ngettext(
                "This API key is limited to %(limit)d request per minute.",
                "This API key is limited to %(limit)d requests per minute.",
                limit,
            )
            % {"limit": limit},
            ngettext("Retry in %(seconds)d second.", "Retry in %(seconds)d seconds.", seconds)
            % {"seconds": seconds},
        )
    )


class ApiKeyAuth(HttpBearer):
    """`Authorization: Bearer rl_test_…` → the ApiKey (as request.auth), rate limit applied."""

    def __call__(self, request):
        if not request.headers.get(self.header):
            raise Unauthorized(
                _("Send your API key in the header “Authorization: Bearer <key>”."),
                code="missing_api_key",
            )
        return super().__call__(request)

    def authenticate(self, request, token):
        # Looking up the SHA-256 of the key means no comparison ever runs on the secret itself.
        api_key = ApiKey.objects.filter(key_hash=hash_key(token.strip())).first()
        if api_key is None:
            raise Unauthorized(_("This API key is not valid."), code="invalid_api_key")
        if api_key.is_revoked:
            raise Unauthorized(_("This API key has been revoked."), code="revoked_api_key")
        check_rate_limit(api_key)
        api_key.touch()
        return api_key
