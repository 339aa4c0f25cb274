"""The RCS body of each message of a batch, validated once per template version when it can be.

Validating a rendered body (pydantic, the cross-field rules, the size limit) cost about a
third of the batch job's CPU, once per distinct set of values (profiled). When the content's
variables all land in the message text or in a card's title or description, and in no link,
the values cannot change the body's shape: the content is rendered with a marker for each
variable, validated and converted once, and each message only fills its values into that
converted body and has the limits those fields carry checked (not empty, not longer than
the field allows, the whole body within MESSAGE_BYTES_MAX). A message that fails one of
these checks, and every message of a template whose variables sit elsewhere, is validated
in full as before, which also words the error. tests/sending/test_rcs_bodies.py checks that
both ways give the same body.
"""

import json

from editor.media_urls import absolute_media
from messaging.content import parse_content
from messaging.content_errors import ContentError
from messaging.content_rules import DESCRIPTION_MAX, MESSAGE_BYTES_MAX, TEXT_MAX, TITLE_MAX
from messaging.variables import PLACEHOLDER_RE, VariableError, compile_content

# Private-use characters around a variable's name: no template holds them, and a link
# percent-encodes them (QUOTED), which shows a variable sits in a link.
START, END = "\ue000", "\ue001"
QUOTED = "%EE%80%80"


def render_rcs(rcs, values):
    """The RBM body of the compiled content `rcs` with `values`, validated in full; raises
    ContentError or VariableError."""
    return parse_content(absolute_media(rcs.render(values))).to_rbm()


class RcsBodies:
    """RCS bodies of one template version for one batch, one per distinct set of values."""

    def __init__(self, rcs):
        self.rcs = rcs
        self.bodies = {}
        self.filled, self.fields = _fillable(rcs)

    def body(self, values):
        """The RBM body for these values; raises ContentError or VariableError."""
        # Only the values the content uses: a variable of the SMS text alone changes nothing.
        key = tuple(values.get(name) for name in self.rcs.names)
        body = self.bodies.get(key)
        if body is None:
            body = self._fill(values) if self.filled is not None else None
            if body is None:
                body = render_rcs(self.rcs, values)
            self.bodies[key] = body
        return body

    def _fill(self, values):
        """The converted body with the values in, or None when it needs the full validation."""
        try:
            body = self.filled.render(values)
            for path, limit in self.fields:
                text = _at(body, path)
                if not text or len(text) > limit:
                    return None
            size = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        except (VariableError, UnicodeError, KeyError, IndexError, TypeError):
            return None
        return body if len(size) <= MESSAGE_BYTES_MAX else None


def _fillable(rcs):
    """(the converted body compiled with its placeholders, [(path, max length)]) when every
    variable sits in a field limited by length only; (None, []) otherwise."""
    if not rcs.names:
        return None, []
    marks = {name: f"{START}{name}{END}" for name in rcs.names}
    try:
        converted = render_rcs(rcs, marks)
    except (ContentError, VariableError):
        return None, []
    dumped = json.dumps(converted, ensure_ascii=False)
    if QUOTED in dumped.upper() or PLACEHOLDER_RE.search(dumped):
        return None, []
    fields = []
    try:
        template = _placeholders(converted, (), fields)
    except ValueError:
        return None, []
    return compile_content(template), fields


def _placeholders(node, path, fields):
    """A copy of node with each marker turned back into a placeholder; fields gets the path
    and limit of each string that holds one. ValueError when one sits anywhere else."""
    if isinstance(node, dict):
        for key in node:
            if START in key:
                raise ValueError(key)
        return {key: _placeholders(value, (*path, key), fields) for key, value in node.items()}
    if isinstance(node, list):
        return [_placeholders(value, (*path, index), fields) for index, value in enumerate(node)]
    if isinstance(node, str) and START in node:
        limit = _limit(path)
        if limit is None:
            raise ValueError(path)
        fields.append((path, limit))
        return node.replace(START, "{{ ").replace(END, " }}")
    return node


def _limit(path):
    """The length limit of the field at path, for the fields whose only rule is a length."""
    if path == ("text",):
        return TEXT_MAX
    if path and path[0] == "richCard" and "suggestions" not in path:
        if path[-1] == "title":
            return TITLE_MAX
        if path[-1] == "description":
            return DESCRIPTION_MAX
    return None


def _at(body, path):
    for step in path:
        body = body[step]
    return body
