"""Template helpers to render Django form fields with the CSS toolkit's classes."""

from django import template

register = template.Library()

_CLASS_BY_WIDGET = {
    "checkbox": "form-check-input",
    "select": "form-select",
    "selectmultiple": "form-select",
    "radioselect": "",
    "checkboxselectmultiple": "",
}


@register.filter
def bootstrap(field):
    """Render a bound field with the right class, marked invalid when it has errors."""
    css = _CLASS_BY_WIDGET.get(field.widget_type, "form-control")
    if field.errors:
        css = f"{css} is-invalid".strip()
    attrs = {"class": css} if css else {}
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)
