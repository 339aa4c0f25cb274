"""The editor's admin pages, one module per subject; importing them registers them."""

from editor.admin import assets, brands, templates  # noqa: F401
