"""What the OpenAPI schema says of every operation beyond its own schemas: the headers every
answer carries (Request-Id, RateLimit-*), those of some answers (Retry-After, Location,
Idempotent-Replayed, WWW-Authenticate), the statuses any call may get (500, 413 for a body),
and problem+json as the content type of every error."""

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
        "Requests a minute of the budget this request spent: reads (GET) or writes (others)."
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

STANDARD_ERRORS = {
    "500": "A bug on our side: logged with the Request-Id, no details leak. Retry later.",
}
BODY_ERRORS = {"413": "The request body is larger than the server accepts (body_too_large)."}


def _ref(name):
    return {"$ref": f"#/components/headers/{name}"}


def _problem(description):
    return {"description": description, "content": {PROBLEM_CONTENT_TYPE: {"schema": PROBLEM_REF}}}


def document(schema):
    """Complete the schema ninja generated (in place) and return it."""
    schema.setdefault("components", {})["headers"] = HEADERS
    for operations in schema["paths"].values():
        for operation in operations.values():
            _document_operation(operation)
    return schema


def _document_operation(operation):
    responses = operation.setdefault("responses", {})
    secured = bool(operation.get("security"))
    parameters = operation.setdefault("parameters", [])
    idempotent = any(p.get("name") == IDEMPOTENCY_HEADER for p in parameters)
    parameters.append(REQUEST_ID_PARAMETER)
    for status, description in STANDARD_ERRORS.items():
        responses.setdefault(status, _problem(description))
    if "requestBody" in operation:
        for status, description in BODY_ERRORS.items():
            responses.setdefault(status, _problem(description))
    for status, response in responses.items():
        code = int(status)
        content = response.get("content", {})
        if code >= 400 and "application/json" in content:
            content[PROBLEM_CONTENT_TYPE] = content.pop("application/json")
        headers = response.setdefault("headers", {})
        headers["Request-Id"] = _ref("Request-Id")
        if secured and code not in (401, 500):
            for name in ("RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"):
                headers[name] = _ref(name)
        if code == 429:
            headers["Retry-After"] = _ref("Retry-After")
        if code == 401:
            headers["WWW-Authenticate"] = _ref("WWW-Authenticate")
        if code in (201, 202):
            headers["Location"] = _ref("Location")
        if idempotent and code < 300:
            headers["Idempotent-Replayed"] = _ref("Idempotent-Replayed")
