"""Keyset pages of messages for the API: newest first, by creation time then id.

A page starts after a message named by its public id (`starting_after`, the last id of the
previous page), never at an offset: messages created while a caller pages through the list
come before its first page and never shift the next ones, so no page skips or repeats one.
"""

from django.db.models import Q

PAGE_DEFAULT = 20
PAGE_MAX = 100


def message_page(messages, *, limit=PAGE_DEFAULT, after=None):
    """(the page of messages after the message `after`, True when more follow)."""
    messages = messages.order_by("-created", "-pk")
    if after is not None:
        messages = messages.filter(
            Q(created__lt=after.created) | Q(created=after.created, pk__lt=after.pk)
        )
    page = list(messages[: limit + 1])
    return page[:limit], len(page) > limit
