"""Keyset pages of contacts for the API: a stable order (oldest first) and an opaque cursor.

The cursor names the last contact of a page by its creation time and public id, never by its
primary key (which would tell how many contacts there are), so a page stays right when
contacts are added or erased between two calls.
"""

import base64
import binascii
from datetime import datetime
from uuid import UUID

from django.db.models import Q

PAGE_DEFAULT = 50
PAGE_MAX = 200


class InvalidCursor(ValueError):
    """The cursor is not one a page gave."""


def encode_cursor(contact):
    raw = f"{contact.created.isoformat()}|{contact.public_id}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor):
    """(created, public_id) from a cursor; InvalidCursor when it is not one."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        created, public_id = raw.split("|")
        moment = datetime.fromisoformat(created)
        if moment.tzinfo is None:
            raise ValueError(cursor)
        return moment, UUID(public_id)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise InvalidCursor(cursor) from None


def contact_page(contacts, *, limit=PAGE_DEFAULT, cursor=None):
    """(the page of contacts after cursor, the cursor of the next page or None)."""
    contacts = contacts.order_by("created", "public_id")
    if cursor:
        created, public_id = decode_cursor(cursor)
        contacts = contacts.filter(
            Q(created__gt=created) | Q(created=created, public_id__gt=public_id)
        )
    page = list(contacts[: limit + 1])
    if len(page) > limit:
        page = page[:limit]
        return page, encode_cursor(page[-1])
    return page, None
