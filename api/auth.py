"""Authentication of API calls by API key (HTTP Bearer or Basic), with a per-key rate limit.

Nothing here logs the Authorization header, the key or an exception raised while reading them:
ninja's own HttpBearer and HttpBasicAuth log a header they cannot read when DEBUG is on, so
these classes do not reuse their __call__.
"""

import base64
import functools
import logging
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from limits import RateLimitItemPerMinute
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from ninja.security.http import HttpAuthBase

from api.models import ApiKey, hash_key
from api.problems import ApiProblem, Unauthorized

logger = logging.getLogger(__name__)

RATE_LIMIT_NAMESPACE = "api-key"
# Every API key starts so; a Basic user name that does not was meant for another service.
KEY_START = "rl_"


def limits_storage_uri(redis_url: str) -> str:
    """The `limits` storage URI for a redis-py URL (limits spells unix sockets redis+unix://)."""
    if redis_url.startswith("unix://"):
        return "redis+unix://" + redis_url.removeprefix("unix://")
    return redis_url


@functools.cache
def _limiter(storage_uri: str) -> MovingWindowRateLimiter:
    storage = storage_from_string(storage_uri, key_prefix="relais-ratelimit")
    return MovingWindowRateLimiter(storage)


# Reads have a budget of their own (ApiKey.read_rate_limit_per_minute): polling never blocks
# sending.
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
READ_NAMESPACE = "api-key-read"
# Answers no key paid for (no or a wrong key, a wrong method, an unknown path, the schema) spend
# the budget of the caller's address: a key cannot be guessed at full speed.
ADDRESS_NAMESPACE = "api-address"


@dataclass(frozen=True)
class RateLimitState:
    """The budget a request was counted against, as the RateLimit-* headers tell it."""

    limit: int
    remaining: int
    reset_seconds: int

    def headers(self):
        return {
            "RateLimit-Limit": str(self.limit),
            "RateLimit-Remaining": str(self.remaining),
            "RateLimit-Reset": str(self.reset_seconds),
        }


def budget(api_key: ApiKey, method: str) -> tuple[str, int]:
    """(limiter namespace, requests per minute) of the budget a request of this method spends."""
    if method.upper() in READ_METHODS:
        return READ_NAMESPACE, api_key.read_rate_limit_per_minute
    return RATE_LIMIT_NAMESPACE, api_key.rate_limit_per_minute


def check_rate_limit(api_key: ApiKey, method: str = "POST") -> RateLimitState | None:
    """Count one request for the key in the budget of its method (reads or writes); return
    the budget's state (None when Redis cannot tell), or raise ApiProblem 429 past it."""
    namespace, per_minute = budget(api_key, method)
    # The hash, not the primary key: a re-used id must not inherit another key's window.
    return _spend(namespace, api_key.key_hash[:24], per_minute)


def check_address_rate_limit(request) -> RateLimitState | None:
    """Count one answer no key paid for in the budget of the caller's address (as Django sees
    it: the reverse proxy's own address when it does not pass the client's on); as
    check_rate_limit."""
    address = request.META.get("REMOTE_ADDR") or "unknown"
    return _spend(ADDRESS_NAMESPACE, address, settings.API_ANONYMOUS_RATE_LIMIT_PER_MINUTE)


def _spend(namespace, identity, per_minute):
    limiter = _limiter(limits_storage_uri(settings.REDIS_URL))
    item = RateLimitItemPerMinute(per_minute)
    try:
        allowed = limiter.hit(item, namespace, identity)
        stats = limiter.get_window_stats(item, namespace, identity)
    except Exception:
        # The limit protects capacity, not secrets: when Redis is down, serving beats refusing.
        logger.warning("Rate limit storage unavailable; request allowed", exc_info=True)
        return None
    reset_seconds = max(1, math.ceil(stats.reset_time - time.time()))
    state = RateLimitState(per_minute, max(0, stats.remaining), reset_seconds)
    if allowed:
        return state
    raise ApiProblem(
        429,
        _("Too many requests"),
        _rate_limited_detail(per_minute, reset_seconds, namespace),
        code="rate_limited",
        headers={"Retry-After": str(reset_seconds), **state.headers()},
    )


def _rate_limited_detail(limit, seconds, namespace):
    """The 429 detail: the budget's limit and when to retry, each a sentence of its own."""
    if namespace == ADDRESS_NAMESPACE:
        limited = _(
            "Requests without a valid API key are limited to %(limit)d per minute from one address."
        )
    elif namespace == READ_NAMESPACE:
        limited = ngettext(
            "This API key is limited to %(limit)d read (GET) per minute.",
            "This API key is limited to %(limit)d reads (GET) per minute.",
            limit,
        )
    else:
        limited = ngettext(
            "This API key is limited to %(limit)d request per minute.",
            "This API key is limited to %(limit)d requests per minute.",
            limit,
        )
    return " ".join(
        (
            limited % {"limit": limit},
            ngettext("Retry in %(seconds)d second.", "Retry in %(seconds)d seconds.", seconds)
            % {"seconds": seconds},
        )
    )


def read_authorization(request):
    """(scheme in lower case, credentials) of the Authorization header; ("", "") without one."""
    value = request.headers.get("Authorization", "").strip()
    if not value:
        return "", ""
    scheme, _space, credentials = value.partition(" ")
    return scheme.lower(), credentials.strip()


def key_from_basic(credentials):
    """The key sent as the user name of Basic credentials ("" for an empty one), or None when
    they are not base64 of "user:password" or the user name is not an API key."""
    try:
        decoded = base64.b64decode(credentials, validate=True).decode("utf-8")
    except ValueError:  # binascii.Error and UnicodeDecodeError; their text is never logged
        return None
    user, colon, _password = decoded.partition(":")
    if not colon or (user and not user.startswith(KEY_START)):
        return None
    return user.strip()


def authenticate_key(full_key, request=None):
    """The ApiKey of a full key, its use recorded and counted in the budget of the request's
    method (kept on the request for the RateLimit-* headers); Unauthorized when refused."""
    if not full_key:
        # "Bearer " alone, or `curl -u :`: usually a shell variable holding the key is empty.
        raise missing_key()
    # Looking up the SHA-256 of the key means no comparison ever runs on the secret itself.
    api_key = ApiKey.objects.filter(key_hash=hash_key(full_key)).first()
    if api_key is None:
        raise Unauthorized(_("This API key is not valid."), code="invalid_api_key")
    if api_key.is_revoked:
        raise Unauthorized(_("This API key has been revoked."), code="revoked_api_key")
    method = request.method if request is not None else "POST"
    state = check_rate_limit(api_key, method)
    if request is not None:
        # Set even when None (Redis cannot tell): the key paid, the address budget is not spent.
        request.rate_limit = state
    api_key.touch()
    return api_key


def missing_key():
    return Unauthorized(
        _(
            "Send your API key in the header “Authorization: Bearer <key>”, or as the user "
            "name of HTTP Basic authentication with an empty password."
        ),
        code="missing_api_key",
    )


def refusal(request):
    """The Unauthorized problem for a request no scheme accepted: no key, or another scheme."""
    scheme, _credentials = read_authorization(request)
    if not scheme:
        return missing_key()
    return Unauthorized(
        _(
            "Relais does not accept this Authorization header. Send your API key as "
            "“Authorization: Bearer <key>”, or as the user name of HTTP Basic authentication "
            "with an empty password (curl -u <key>:)."
        ),
        code="unsupported_auth_scheme",
    )


class ApiKeyAuth(HttpAuthBase):
    """`Authorization: Bearer rl_test_…` → the ApiKey (as request.auth), rate limit applied."""

    openapi_scheme = "bearer"
    openapi_description = "The API key as a bearer token: `Authorization: Bearer rl_test_…`."

    def __call__(self, request):
        scheme, credentials = read_authorization(request)
        if scheme != "bearer":
            return None  # another scheme may accept it; else api.site answers with refusal()
        return authenticate_key(credentials, request)


class ApiKeyBasicAuth(HttpAuthBase):
    """HTTP Basic with the API key as user name and an empty password (`curl -u rl_test_…:`),
    as Stripe and Twilio clients send it."""

    openapi_scheme = "basic"
    openapi_description = (
        "The API key as the user name, with an empty password: `curl -u rl_test_…:`."
    )

    def __call__(self, request):
        scheme, credentials = read_authorization(request)
        if scheme != "basic":
            return None
        full_key = key_from_basic(credentials)
        if full_key is None:
            return None
        return authenticate_key(full_key, request)


# What the API accepts, in order; the OpenAPI schema lists each as an alternative.
API_KEY_AUTH = [ApiKeyAuth(), ApiKeyBasicAuth()]
