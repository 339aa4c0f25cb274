"""What the OpenAPI schema says of every operation beyond its own schemas: the headers every
answer carries (Request-Id, RateLimit-*), those of some answers (Retry-After, Location,
Idempotent-Replayed, WWW-Authenticate, Allow), the statuses a call may get by its shape (401
and 429 with a key, 405 for another method, 404 with an id in the path, 422 with parameters or
a body, 400 and 413 with a body, 409 with an Idempotency-Key, 500 always), and problem+json as
the content type of every error."""

from api.idempotency import HEADER as IDEMPOTENCY_HEADER
from api.problems import PROBLEM_CONTENT_TYPE

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}


def _integer(description):
    return {"description": description, "schema": {"type": "integer", "minimum": 0}}


HEADERS = {
    "Request-Id": {
        "description": (
            "This request's id: the `Request-Id` or `X-Request-Id` you sent when it is a sane "
            "token (letters, digits, `._:@+=-`, up to 128), else one Relais made (`req_…`). "
            "Logged with the request and repeated in problem bodies: quote it when asking "
            "for help."
        ),
        "schema": {"type": "string"},
    },
    "RateLimit-Limit": _integer(
        "Requests a minute of the budget this request spent: the key's reads (GET) or writes "
        "(others), or, for an answer no valid key paid for (401, 405, an unknown path), the "
        "caller's address."
    ),
    "RateLimit-Remaining": _integer("Requests left in that budget's moving 60-second window."),
    "RateLimit-Reset": _integer("Seconds until the oldest request of the window leaves it."),
    "Retry-After": _integer("Seconds to wait before trying again."),
    "Location": {
        "description": "The URL of what was created (a message's status_url, a contact).",
        "schema": {"type": "string", "format": "uri"},
    },
    "Idempotent-Replayed": {
        "description": "true when this is the stored answer to an earlier request with the "
        "same Idempotency-Key (nothing was done again).",
        "schema": {"type": "string", "enum": ["true"]},
    },
    "Allow": {
        "description": "The methods this path answers to.",
        "schema": {"type": "string"},
    },
    "WWW-Authenticate": {
        "description": "The schemes accepted: Bearer and Basic.",
        "schema": {"type": "string"},
    },
}

REQUEST_ID_PARAMETER = {
    "in": "header",
    "name": "X-Request-Id",
    "required": False,
    "description": (
        "Your own id for this request (also accepted as `Request-Id`), echoed in the "
        "`Request-Id` header of the answer when it is a sane token (letters, digits, "
        "`._:@+=-`, up to 128 characters); any other value is replaced, never refused."
    ),
    "schema": {"type": "string"},
}

ALWAYS = {
    "500": "A bug on our side: logged with the Request-Id, no details leak. Retry later.",
}
SECURED = {
    "401": "No API key, or one that is not valid or was revoked (missing_api_key, "
    "invalid_api_key, revoked_api_key, unsupported_auth_scheme).",
    "429": "The budget this request spends is used up (rate_limited): wait Retry-After seconds.",
}
WITH_PATH_ID = {"404": "Nothing with this id, for this key's mode (not_found)."}
WITH_INPUT = {"422": "A parameter or field is refused: `errors` names each one."}
WITH_BODY = {
    "400": "The request body is not valid JSON (invalid_json).",
    "413": "The request body is larger than the server accepts (body_too_large).",
}
IDEMPOTENT = {
    "409": "The Idempotency-Key was used with another body (idempotency_mismatch), or its "
    "first request is still running (idempotency_in_progress).",
}
RATE_LIMIT_HEADERS = ("RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset")


def _ref(name):
    return {"$ref": f"#/components/headers/{name}"}


def _problem(description):
    return {"description": description, "content": {PROBLEM_CONTENT_TYPE: {"schema": PROBLEM_REF}}}


def document(schema):
    """Complete the schema ninja generated (in place) and return it."""
    schema.setdefault("components", {})["headers"] = HEADERS
    for operations in schema["paths"].values():
        methods = ", ".join(method.upper() for method in operations)
        for operation in operations.values():
            _document_operation(operation, methods)
    return schema


def statuses_by_shape(operation):
    """{status: description} of the errors an operation may answer, told by its shape."""
    parameters = operation.get("parameters", [])
    places = {parameter["in"] for parameter in parameters}
    names = {parameter["name"] for parameter in parameters}
    body = "requestBody" in operation
    statuses = dict(ALWAYS)
    if operation.get("security"):
        statuses.update(SECURED)
    if "path" in places:
        statuses.update(WITH_PATH_ID)
    if body or "query" in places:
        statuses.update(WITH_INPUT)
    if body:
        statuses.update(WITH_BODY)
    if IDEMPOTENCY_HEADER in names:
        statuses.update(IDEMPOTENT)
    return statuses


def _document_operation(operation, methods):
    responses = operation.setdefault("responses", {})
    parameters = operation.setdefault("parameters", [])
    idempotent = any(p.get("name") == IDEMPOTENCY_HEADER for p in parameters)
    for status, description in statuses_by_shape(operation).items():
        responses.setdefault(status, _problem(description))
    responses["405"] = _problem(
        f"This path answers only to {methods} (method_not_allowed); the Allow header lists them."
    )
    parameters.append(REQUEST_ID_PARAMETER)
    for status, response in responses.items():
        code = int(status)
        content = response.get("content", {})
        if code >= 400 and "application/json" in content:
            content[PROBLEM_CONTENT_TYPE] = content.pop("application/json")
        headers = response.setdefault("headers", {})
        headers["Request-Id"] = _ref("Request-Id")
        for name in RATE_LIMIT_HEADERS:
            headers[name] = _ref(name)
        if code == 429:
            headers["Retry-After"] = _ref("Retry-After")
        if code == 401:
            headers["WWW-Authenticate"] = _ref("WWW-Authenticate")
        if code == 405:
            headers["Allow"] = _ref("Allow")
        if code in (201, 202):
            headers["Location"] = _ref("Location")
        if idempotent and code < 300:
            headers["Idempotent-Replayed"] = _ref("Idempotent-Replayed")
