"""Template variables: `{{ name }}` placeholders, declared variables, and fast substitution.

Substitution is plain text. A placeholder is `{{ name }}` or `{{name}}` where name matches
VARIABLE_NAME_RE; anything else between braces (`{{ a.b }}`, `{{ a|upper }}`, `{{ Prenom }}`,
`{% if x %}`) is not a placeholder: it is left in the text exactly as written, never
evaluated, and find_unsupported() reports it so the editor can warn. Values are inserted
once and never scanned again, so a value containing `{{ x }}` stays literal too.

Values that land inside a link are percent-encoded (encode_url_value), so whatever a value
holds the link keeps its host and path: in the URL fields of RCS content, and in free text
(the SMS, RCS text) inside a link written as `http://` or `https://` up to the next space.

Rendering runs for every message of a campaign, so text is compiled once into a list of
literal and variable pieces, and render() only joins strings.
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import quote

from django.utils.translation import gettext as _

from messaging.walk import URL_FIELDS, field_name, iter_strings, iter_values

VARIABLE_NAME_RE = re.compile(r"[a-z_][a-z0-9_]{0,31}")
PLACEHOLDER_RE = re.compile(r"\{\{ *([a-z_][a-z0-9_]{0,31}) *\}\}")
# What looks like template syntax, to find what PLACEHOLDER_RE leaves literal.
_TEMPLATE_LIKE_RE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
# A link in free text, as phones detect it: the scheme, then anything up to a space.
_TEXT_LINK_RE = re.compile(r"https?://\S*", re.IGNORECASE)


class VariableError(ValueError):
    """A problem with a variable; `.name` is the variable concerned."""

    def __init__(self, name: str, message: str):
        super().__init__(message)
        self.name = name


class MissingVariable(VariableError):
    """A variable used or required has no value and no default."""

    def __init__(self, name: str):
        super().__init__(name, _("The variable “%(name)s” has no value.") % {"name": name})


class UnknownVariable(VariableError):
    """A value was given for a variable the template does not declare."""

    def __init__(self, name: str):
        super().__init__(
            name,
            _("The variable “%(name)s” is not declared by the template.") % {"name": name},
        )


class UnsafeLinkValue(VariableError):
    """A value made only of dots, which would move a link up its path (`..`)."""

    def __init__(self, name: str):
        super().__init__(
            name,
            _(
                "The variable “%(name)s” is only dots: inside a link it would lead to another "
                "page of the site."
            )
            % {"name": name},
        )


class InvalidVariableName(VariableError):
    """A declared variable name does not match VARIABLE_NAME_RE."""

    def __init__(self, name: str):
        super().__init__(
            name,
            _(
                "“%(name)s” is not a valid variable name: use 1 to 32 lower-case letters "
                "without accents, digits or underscores, not starting with a digit."
            )
            % {"name": name},
        )


class DuplicateVariable(VariableError):
    """The same variable name is declared twice."""

    def __init__(self, name: str):
        super().__init__(
            name, _("The variable “%(name)s” is declared more than once.") % {"name": name}
        )


@dataclass(frozen=True)
class Variable:
    """A declared variable: required when default is None; sample is shown in previews."""

    name: str
    default: str | None = None
    sample: str = ""

    def __post_init__(self):
        if not isinstance(self.name, str) or not VARIABLE_NAME_RE.fullmatch(self.name):
            raise InvalidVariableName(str(self.name))

    @property
    def required(self) -> bool:
        return self.default is None


def declare(items: Iterable[Variable | Mapping]) -> list[Variable]:
    """Return the declared variables (from Variable or {"name", "default", "sample"} dicts).

    Raises InvalidVariableName or DuplicateVariable.
    """
    declared = []
    seen = set()
    for item in items:
        variable = item if isinstance(item, Variable) else _variable_from_mapping(item)
        if variable.name in seen:
            raise DuplicateVariable(variable.name)
        seen.add(variable.name)
        declared.append(variable)
    return declared


def _variable_from_mapping(item: Mapping) -> Variable:
    return Variable(
        name=item.get("name", ""),
        default=item.get("default"),
        sample=item.get("sample") or "",
    )


def find_variables(text: str) -> list[str]:
    """Return the variable names used in text, in order of first appearance."""
    return list(dict.fromkeys(PLACEHOLDER_RE.findall(text)))


def find_unsupported(text: str) -> list[str]:
    """Return the template-like snippets of text that are not placeholders and stay literal."""
    return [
        match.group()
        for match in _TEMPLATE_LIKE_RE.finditer(text)
        if not PLACEHOLDER_RE.fullmatch(match.group())
    ]


def find_in_content(data: dict) -> list[str]:
    """Return the variable names used anywhere in stored content JSON, in order, unique."""
    names = {}
    for _path, text in iter_strings(data):
        for name in PLACEHOLDER_RE.findall(text):
            names.setdefault(name, None)
    return list(names)


def encode_url_value(name: str, value: str, *, in_path: bool = True) -> str:
    """Return value percent-encoded for a link (every reserved character, "/" included).

    Encoding "/", "?", "#", "@" and spaces keeps the value inside one path segment or query
    value of one link. In the path, a value made only of dots would still be a `.` or `..`
    segment (browsers read %2E as a dot too), so it raises UnsafeLinkValue naming the variable.
    """
    if in_path and value and not value.strip("."):
        raise UnsafeLinkValue(name)
    return quote(value, safe="")


def _link_spans(source: str) -> list[tuple[int, int]]:
    """Return the (start, end) of each link written in free text, placeholders included."""
    # A placeholder may hold spaces ("{{ code }}"); mask it so it does not end the link.
    masked = PLACEHOLDER_RE.sub(lambda match: "x" * len(match.group()), source)
    return [match.span() for match in _TEXT_LINK_RE.finditer(masked)]


# How a slot is filled: as written, encoded in a query or fragment, or encoded in the path.
_PLAIN, _QUERY, _PATH = 0, 1, 2


def _url_part(link: str) -> int:
    """Return _QUERY when the end of link is past its "?" or "#", else _PATH."""
    return _QUERY if "?" in link or "#" in link else _PATH


class CompiledText:
    """A text cut once into literal and variable pieces; render() fills the variables."""

    __slots__ = ("source", "url", "names", "_pieces", "_slots")

    def __init__(self, source: str, *, url: bool = False):
        self.source = source
        self.url = url
        links = () if url else _link_spans(source)
        pieces = []
        slots = []  # (index in pieces, variable name, _PLAIN, _QUERY or _PATH)
        position = 0
        for match in PLACEHOLDER_RE.finditer(source):
            if match.start() > position:
                pieces.append(source[position : match.start()])
            kind = _PLAIN
            if url:
                # A variable that starts a URL field is the address itself (scheme, host):
                # encoding it would break it. Everywhere else in a URL it is a path or
                # query value and is encoded.
                if match.start() > 0:
                    kind = _url_part(source[: match.start()])
            else:
                # In free text, a variable inside a written link is encoded as in a URL
                # field, so a value cannot end the link, add a second one or climb the path.
                for start, end in links:
                    if start < match.start() < end:
                        kind = _url_part(source[start : match.start()])
            slots.append((len(pieces), match.group(1), kind))
            pieces.append("")
            position = match.end()
        if position < len(source):
            pieces.append(source[position:])
        self._pieces = pieces
        self._slots = tuple(slots)
        self.names = tuple(dict.fromkeys(name for _index, name, _kind in slots))

    def render(self, values: Mapping[str, str]) -> str:
        """Return the text with every variable replaced.

        Raises MissingVariable if one lacks, UnsafeLinkValue for a dots-only value in a link.
        """
        if not self._slots:
            return self.source
        parts = self._pieces.copy()
        for index, name, kind in self._slots:
            value = values.get(name)
            if value is None:
                raise MissingVariable(name)
            if value.__class__ is not str:
                value = str(value)
            if kind:
                # encode_url_value() inlined: this runs for every slot of every message.
                if kind == _PATH and value and not value.strip("."):
                    raise UnsafeLinkValue(name)
                value = quote(value, safe="")
            parts[index] = value
        return "".join(parts)

    def __repr__(self):
        return f"CompiledText({self.source!r}, url={self.url})"


def compile_text(text: str, *, url: bool = False) -> CompiledText:
    """Compile text once for many renders; values are encoded in a URL field (url=True) or link."""
    return CompiledText(text, url=url)


# Compiled content is a tree of container nodes. A node keeps a copy of its dict or list in
# which strings without variables and other scalars are already in place; render() copies it
# (one C-level copy) and fills only the children that need work: texts with variables and
# nested containers. Every dict and list is rebuilt, so two rendered messages never share a
# mutable object.


class _Container:
    __slots__ = ("template", "children")

    def __init__(self, template, children):
        self.template = template
        self.children = children  # [(key or index, node), ...]

    def render(self, values):
        out = self.template.copy()
        for slot, node in self.children:
            out[slot] = node.render(values)
        return out


def _compile_tree(data, names: dict):
    """Return the node that renders data, or None when data is a constant scalar."""
    nodes = {}
    for path, value in iter_values(data):
        if isinstance(value, str):
            if "{{" not in value:
                continue
            # Values put into a URL field are percent-encoded, so "Jean Dupont" or "a&b=c"
            # cannot change the link's structure.
            node = CompiledText(value, url=field_name(path) in URL_FIELDS)
            if not node.names:
                continue
            names.update(dict.fromkeys(node.names))
        elif isinstance(value, dict | list):
            node = _Container(value.copy(), [])
        else:
            continue
        nodes[path] = node
        if path:
            # iter_values yields a container before what it holds: its node is there already.
            nodes[path[:-1]].children.append((path[-1], node))
    return nodes.get(())


class CompiledContent:
    """Stored content JSON compiled once; render() returns a new dict with variables filled."""

    __slots__ = ("source", "names", "_root")

    def __init__(self, data: dict):
        self.source = data
        names = {}
        self._root = _compile_tree(data, names)
        self.names = tuple(names)

    def render(self, values: Mapping[str, str]) -> dict:
        """Return a new content dict with variables filled; raise MissingVariable if one lacks."""
        return self._root.render(values)


def compile_content(data: dict) -> CompiledContent:
    """Compile stored content JSON once for many renders (URL fields get encoded values)."""
    return CompiledContent(data)


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def resolve(
    declared: list[Variable],
    given: Mapping[str, str],
    *,
    use_samples: bool = False,
    strict: bool = False,
) -> dict[str, str]:
    """Return the values to render with: given ones, then samples (previews), then defaults.

    A blank given value counts as absent. Raises MissingVariable for the first required
    variable left without a value (never with use_samples), and, when strict,
    UnknownVariable for a given name that is not declared; otherwise undeclared values
    are passed through.
    """
    if strict:
        declared_names = {variable.name for variable in declared}
        for name in given:
            if name not in declared_names:
                raise UnknownVariable(name)
        values = {}
    else:
        values = {name: str(value) for name, value in given.items() if value is not None}
    for variable in declared:
        value = given.get(variable.name)
        if not _is_blank(value):
            values[variable.name] = str(value)
        elif use_samples and variable.sample:
            values[variable.name] = variable.sample
        elif variable.default is not None:
            values[variable.name] = variable.default
        elif use_samples:
            # Previews never fail: show which variable still needs a sample.
            values[variable.name] = f"[{variable.name}]"
        else:
            raise MissingVariable(variable.name)
    return values


def sample_values(declared: list[Variable]) -> dict[str, str]:
    """Return preview values: each variable's sample, else its default, else "[name]"."""
    return resolve(declared, {}, use_samples=True)
