"""What a webhook request is to a provider, how it is refused, and the signature compare."""

import hmac
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import parse_qs

from requests.structures import CaseInsensitiveDict


class WebhookRejected(Exception):
    """A webhook request is not authentic or not readable; the view answers 403."""


@dataclass(frozen=True)
class WebhookRequest:
    """The parts of an HTTP request a provider needs to verify and parse a webhook."""

    url: str
    method: str = "POST"
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""
    form: Mapping[str, list[str]] | None = None

    def __post_init__(self):
        object.__setattr__(self, "headers", CaseInsensitiveDict(self.headers))
        if self.form is None:
            form = {}
            if self.content_type == "application/x-www-form-urlencoded":
                form = parse_qs(self.body.decode("utf-8", "replace"), keep_blank_values=True)
            object.__setattr__(self, "form", form)
        else:
            # Django's QueryDict.items() keeps only the last value of a key; lists() keeps all.
            pairs = self.form.lists() if hasattr(self.form, "lists") else self.form.items()
            object.__setattr__(self, "form", {key: _as_list(value) for key, value in pairs})

    @property
    def content_type(self):
        return self.headers.get("Content-Type", "").split(";")[0].strip().lower()

    def header(self, name, default=None):
        return self.headers.get(name, default)

    def form_value(self, name, default=None):
        """Return the first value of a form field, or the default."""
        values = self.form.get(name)
        return values[0] if values else default

    def flat_form(self):
        """Return the form as a JSON-friendly dict: one value as a string, several as a list."""
        return {
            key: values[0] if len(values) == 1 else list(values)
            for key, values in self.form.items()
        }


def _as_list(value):
    if isinstance(value, str | bytes):
        return [value]
    return list(value)


def signatures_match(expected, given):
    """Compare two signatures in constant time; a missing signature never matches."""
    if not expected or not given:
        return False
    # surrogatepass: a lone surrogate from a JSON body must not match, nor crash the encoding.
    if isinstance(expected, str):
        expected = expected.encode("utf-8", "surrogatepass")
    if isinstance(given, str):
        given = given.encode("utf-8", "surrogatepass")
    return hmac.compare_digest(expected, given)
