"""The documentation pages served by the app (/docs/<page>.md): the Markdown files of docs/,
rendered, so the API schema and error pages can link to the guide of the running version.

Relative links between pages (`sending.md#quiet-hours`) work as they do on a repository
host, because each page is served under its own file name.
"""

import functools

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET
from markdown_it import MarkdownIt
from mdit_py_plugins.anchors import anchors_plugin

DOCS_DIR = settings.BASE_DIR / "docs"


@functools.cache
def _markdown():
    # GitHub's heading ids ("## Rate limits" → #rate-limits), as the pages link to them.
    return (
        MarkdownIt("commonmark", {"html": False}).enable("table").use(anchors_plugin, max_level=4)
    )


def _page(name):
    """The rendered HTML and title of docs/<name>.md; Http404 for any other name."""
    pages = {path.stem: path for path in DOCS_DIR.glob("*.md")}
    if name not in pages:
        raise Http404
    text = pages[name].read_text(encoding="utf-8")
    title = next((line[2:] for line in text.splitlines() if line.startswith("# ")), name)
    return mark_safe(_markdown().render(text)), title  # noqa: S308 (raw HTML is off)


@login_not_required
@require_GET
def docs_page(request, name):
    """One page of the documentation (docs/<name>.md), readable without signing in."""
    html, title = _page(name)
    return render(request, "docs/page.html", {"content": html, "title": title})
