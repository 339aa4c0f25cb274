"""The REST API: one NinjaAPI mounting the routers each app declares; errors as problem+json."""

import functools
import importlib
import logging

from django.apps import apps
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpResponseNotAllowed
from django.template.defaultfilters import filesizeformat
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Router
from ninja.errors import AuthenticationError, HttpError, ValidationError

from api import auth, openapi
from api.models import IdempotencyConflict
from api.problems import ApiProblem, problem_response
from api.validation import field_name, validation_message

logger = logging.getLogger(__name__)

DESCRIPTION = """
Send RCS messages with automatic SMS fallback, follow their delivery, and check which numbers
can receive RCS.

Authenticate with `Authorization: Bearer <API key>`, or with HTTP Basic: the API key as the
user name and an empty password (`curl -u <API key>:`). Keys starting with `rl_test_` always send
through the simulator and only see test messages; `rl_live_` keys send for real.
Errors are [RFC 9457](https://www.rfc-editor.org/rfc/rfc9457) `application/problem+json`
bodies whose `errors` list names each field in question.

Every answer carries a `Request-Id` header, and `RateLimit-Limit`, `RateLimit-Remaining` and
`RateLimit-Reset` for the budget it spent: reads (GET) and writes have separate budgets per key,
so polling never blocks sending; answers no valid key paid for (401, 405, an unknown path)
spend the budget of the caller's address.

The guide, with examples in curl and Python, and the main calls in PHP, Node.js and Java
too: [the API guide](/docs/api.md)
(served by this installation, for this version).
"""


GUIDE_PATH = "/docs/api.md"


def _method_not_allowed(response):
    """Ninja's bare text 405 as a problem, keeping its Allow header."""
    return problem_response(
        405,
        _("Method not allowed"),
        _("This address answers only to %(methods)s.") % {"methods": response["Allow"]},
        code="method_not_allowed",
        headers={"Allow": response["Allow"]},
    )


def _answered_as_api(view):
    """Wrap a ninja path view: its bare 405 becomes a problem, and an answer no API key paid
    for (401, 405, an unknown path, the schema) spends the budget of the caller's address and
    carries its RateLimit-* headers, or becomes a 429 past it."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            response = _method_not_allowed(response)
        if hasattr(request, "rate_limit") or "RateLimit-Limit" in response:
            return response  # a key was counted (its 429 carries its own headers)
        try:
            state = auth.check_address_rate_limit(request)
        except ApiProblem as refused:
            # Nothing was done for an answer no key paid for: refusing it now loses nothing.
            return on_api_problem(request, refused)
        if state is not None:
            for name, value in state.headers().items():
                response[name] = value
        return response

    return wrapper


class RelaisNinjaAPI(NinjaAPI):
    """NinjaAPI whose views need no login session and whose schema names problem+json."""

    def _get_urls(self):
        urls = super()._get_urls()
        for pattern in urls:
            # Ninja answers a wrong method itself, with a text 405 no exception handler sees.
            pattern.callback = _answered_as_api(pattern.callback)
            # LoginRequiredMiddleware guards every view; API calls authenticate by key instead.
            login_not_required(pattern.callback)
        return urls

    def get_openapi_schema(self, **kwargs):
        schema = openapi.document(super().get_openapi_schema(**kwargs))
        if settings.PUBLIC_BASE_URL_GIVEN:
            # An absolute link for a schema read away from this server (a client generator).
            guide = settings.PUBLIC_BASE_URL.rstrip("/") + GUIDE_PATH
            schema["info"]["description"] = DESCRIPTION.replace(f"]({GUIDE_PATH})", f"]({guide})")
        return schema


api = RelaisNinjaAPI(
    title="Relais API",
    version="v1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=auth.API_KEY_AUTH,
    # The interactive docs live at /api/docs (config.urls), outside the versioned prefix.
    docs_url=None,
    docs_decorator=login_not_required,
)


def _not_found_router():
    router = Router(auth=None)

    @router.api_operation(
        ["GET", "POST", "PUT", "PATCH", "DELETE"], "/{path:rest}", include_in_schema=False
    )
    def not_found(request, rest: str):
        raise Http404

    return router


@functools.cache
def urls():
    """The API's URL patterns, with the routers each app lists in its api.py's ROUTERS mounted."""
    # Discovered as the admin discovers admin.py: the apps import this plumbing, never the
    # other way round.
    for app_config in apps.get_app_configs():
        if not module_has_submodule(app_config.module, "api"):
            continue
        module = importlib.import_module(f"{app_config.name}.api")
        for prefix, router in getattr(module, "ROUTERS", ()):
            api.add_router(prefix, router)
    # Last, so it only catches the paths no router answered: unknown URLs get a problem too.
    api.add_router("", _not_found_router())
    return api.urls


@login_not_required
def docs(request):
    """The interactive API documentation (Swagger UI) of the schema at /api/v1/openapi.json."""
    return api.docs.render_page(request, api)


@api.exception_handler(ValidationError)
def on_validation_error(request, exc):
    errors = [
        {
            "field": field_name(error.get("loc", ("body",))),
            "code": error.get("type", "invalid"),
            "message": validation_message(error),
        }
        for error in exc.errors
    ]
    names = ", ".join(dict.fromkeys(error["field"] for error in errors))
    return problem_response(
        422,
        _("Invalid request"),
        _("Check these fields: %(fields)s.") % {"fields": names},
        code="validation_error",
        errors=errors,
    )


@api.exception_handler(IdempotencyConflict)
def on_idempotency_conflict(request, exc):
    if exc.reason == "in_progress":
        detail = _(
            "A request with this Idempotency-Key is still being processed; retry in a moment."
        )
    else:
        detail = _(
            "This Idempotency-Key was already used with a different request body; "
            "use a new key for a new request."
        )
    return problem_response(
        409,
        _("Idempotency-Key conflict"),
        detail,
        code=f"idempotency_{exc.reason}",
        errors=[{"field": "Idempotency-Key", "code": exc.reason, "message": str(detail)}],
    )


@api.exception_handler(ApiProblem)
def on_api_problem(request, exc):
    errors = []
    if exc.field:
        errors.append({"field": exc.field, "code": exc.code, "message": exc.detail})
    return problem_response(
        exc.status, exc.title, exc.detail, code=exc.code, errors=errors, headers=exc.headers
    )


@api.exception_handler(AuthenticationError)
def on_authentication_error(request, exc):
    # Reached when no scheme took the request: no key at all, or a scheme we do not accept.
    return on_api_problem(request, auth.refusal(request))


@api.exception_handler(RequestDataTooBig)
def on_body_too_big(request, exc):
    return problem_response(
        413,
        _("Request body too large"),
        _("The request body is larger than %(limit)s; send less in one call.")
        % {"limit": filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)},
        code="body_too_large",
    )


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return problem_response(
        404, _("Not found"), _("Nothing exists at this address."), code="not_found"
    )


@api.exception_handler(HttpError)
def on_http_error(request, exc):
    if exc.status_code == 400:
        # Ninja raises 400 only when the body cannot be parsed.
        detail, code = _("The request body is not valid JSON."), "invalid_json"
    else:
        detail, code = str(exc), ""
    return problem_response(exc.status_code, _("Request refused"), detail, code=code)


@api.exception_handler(Exception)
def on_unexpected_error(request, exc):
    logger.exception("Unexpected error in %s %s", request.method, request.path)
    return problem_response(
        500,
        _("Internal server error"),
        _("Something went wrong on our side; the error was logged. Retry later."),
        code="internal_error",
    )
