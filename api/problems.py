"""API errors as RFC 9457 problem+json: the schema for the docs, the exception, the response."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import ConfigDict

from api import request_ids

PROBLEM_CONTENT_TYPE = "application/problem+json"


# The codes are an open set (a new check brings a new one), so the schema lists no enum; the
# guide's tables do.
CODE_DESCRIPTION = (
    "A stable code to switch on (the text is translated): the API guide lists them by call. "
    "An open set: treat an unknown one as the status says."
)


class ProblemField(Schema):
    field: str = Field(..., description="The field in question: recipient, variables.prenom…")
    code: str = Field(..., description=CODE_DESCRIPTION)
    message: str = Field(..., description="What is wrong with it, in the caller's language.")


class Problem(Schema):
    """The RFC 9457 problem+json body every API error has (for the OpenAPI schema)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "type": "urn:relais:problem:missing_variable",
                    "title": "Message refused",
                    "status": 422,
                    "detail": "The variable “prenom” is required by this template.",
                    "code": "missing_variable",
                    "errors": [
                        {
                            "field": "variables.prenom",
                            "code": "missing_variable",
                            "message": "The variable “prenom” is required by this template.",
                        }
                    ],
                    "request_id": "req_8d0f5bbcbd2f4b8f9d7c0a1e2f3a4b5c",
                }
            ]
        }
    )

    type: str = Field(..., description="urn:relais:problem:<code>, or about:blank.")
    title: str
    status: int
    detail: str
    code: str = Field(..., description=CODE_DESCRIPTION)
    errors: list[ProblemField]
    request_id: str | None = Field(
        None, description="The Request-Id header of this answer: quote it when you ask for help."
    )


# Every operation may answer these: no valid key, or the key's rate limit reached.
AUTH_ERRORS = {401: Problem, 429: Problem}
# Every operation with a body may answer these: not JSON at all, or JSON that does not fit.
BODY_ERRORS = {400: Problem, 422: Problem}
# An @idempotent operation may also answer 409: the key was used with another body.
IDEMPOTENT_ERRORS = {409: Problem, **BODY_ERRORS, **AUTH_ERRORS}


class ApiProblem(Exception):
    """An API refusal, rendered as an RFC 9457 problem+json body by api.site."""

    def __init__(self, status, title, detail="", *, code="", field=None, headers=None):
        self.status = status
        self.title = str(title)
        self.detail = str(detail)
        self.code = code
        self.field = field
        self.headers = headers or {}
        super().__init__(self.detail or self.title)


class Unauthorized(ApiProblem):
    """The request carries no valid API key (answered 401, challenging for Bearer and Basic)."""

    def __init__(self, detail, code):
        super().__init__(
            401,
            _("Unauthorized"),
            detail,
            code=code,
            headers={"WWW-Authenticate": 'Bearer realm="Relais API", Basic realm="Relais API"'},
        )


def problem_response(status, title, detail="", *, code="", errors=(), headers=None):
    """An RFC 9457 application/problem+json response."""
    body = {
        "type": f"urn:relais:problem:{code}" if code else "about:blank",
        "title": str(title),
        "status": status,
        "detail": str(detail),
        "code": code,
        "errors": list(errors),
        "request_id": request_ids.current(),
    }
    response = HttpResponse(
        json.dumps(body, cls=DjangoJSONEncoder, ensure_ascii=False),
        status=status,
        content_type=PROBLEM_CONTENT_TYPE,
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response
