"""Checks on the text a caller sends before anything is stored: no lone surrogates, no control
characters, no line breaks where the text shows on one line, no variable the template lacks."""

from django.utils.translation import gettext as _

from api.types import find_bad_character
from messaging.variables import find_variables
from messaging.walk import field_name, iter_strings

# Content fields whose text may span lines; every other string of the content is one line.
_MULTI_LINE_FIELDS = frozenset({"description"})


class InvalidVariables(ValueError):
    """The variables given do not fit the template; `field`, `code` and `message` say why."""

    def __init__(self, field, code, message):
        super().__init__(message)
        self.field = field
        self.code = code
        self.message = str(message)


def one_line_variables(version) -> set[str]:
    """The names of the variables the version puts into a one-line field of its RCS content."""
    names = set()
    for path, text in iter_strings(version.rcs_content or {}):
        if "{{" not in text or path == ("text",) or field_name(path) in _MULTI_LINE_FIELDS:
            continue
        names.update(find_variables(text))
    return names


def _shown(name):
    """A name as a message may show it: control characters and surrogates escaped."""
    return name if find_bad_character(name, one_line=True) is None else ascii(name)[1:-1]


def check_variables(version, variables) -> None:
    """Raise InvalidVariables for a name the version does not declare or a value it cannot carry."""
    declared = [variable.name for variable in version.declared_variables()]
    for name in variables:
        if name not in declared:
            raise InvalidVariables(
                f"variables.{_shown(name)}",
                "unknown_variable",
                _("The template does not declare the variable “%(name)s”; it declares: %(names)s.")
                % {"name": _shown(name), "names": ", ".join(declared) or _("none")},
            )
    one_line = one_line_variables(version)
    for name, value in variables.items():
        if not isinstance(value, str):
            continue
        bad = find_bad_character(value, one_line=name in one_line)
        if bad is None:
            continue
        if bad.kind == "surrogate":
            code = "string_unicode"
            message = _("Give valid Unicode text (this text holds an unpaired surrogate).")
        elif name in one_line and bad.character in "\t\n\r\u2028\u2029":
            code = "control_character"
            message = _(
                "The variable “%(name)s” is shown on one line (a button, a link or a title): "
                "remove the line break or tab %(character)s."
            ) % {"name": name, "character": bad.code_point}
        else:
            code = "control_character"
            message = _(
                "The variable “%(name)s” holds the control character %(character)s: remove it."
            ) % {"name": name, "character": bad.code_point}
        raise InvalidVariables(f"variables.{name}", code, message)
