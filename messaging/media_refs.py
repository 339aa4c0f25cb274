"""References to stored media ("media:assets/…/medium-tall.jpg") in the media fields of content.

Content keeps files of our own storage as references, not URLs, so a message does not hold the
address Relais was reached at when it was written: whoever renders or sends the content turns
each reference into a URL then (see editor.media_urls). External links stay as they are.
"""

import copy
import re

from pydantic_core import PydanticCustomError

from messaging.walk import field_name, iter_strings

PREFIX = "media:"
# The fields that may hold a reference: a media file and its thumbnail, never a button's link.
MEDIA_FIELDS = frozenset({"fileUrl", "thumbnailUrl"})
# A relative storage path: no leading slash, no "." or ".." step, no empty step, no space.
_PATH_RE = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*")


def is_reference(value):
    """True when value is written as a media reference (valid or not)."""
    return isinstance(value, str) and value.startswith(PREFIX)


def reference(path):
    """Return the reference of a file stored at path (relative to the media storage)."""
    return PREFIX + path


def path_of(value):
    """Return the storage path a valid reference names, or None for anything else."""
    if not is_reference(value):
        return None
    path = value[len(PREFIX) :]
    if not _PATH_RE.fullmatch(path) or any(part in (".", "..") for part in path.split("/")):
        return None
    return path


def check_reference(value):
    """Accept a valid reference; raise pydantic's error otherwise."""
    if path_of(value) is None:
        raise PydanticCustomError("media_reference", "not a valid media reference")
    return value


def _set(data, path, value):
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value


def replace_media(data, convert):
    """Return content JSON with convert(value) in place of every media field string.

    convert returns the new value, or the same one to leave it; data itself is never changed
    (a copy is returned when anything changes).
    """
    changes = [
        (path, new)
        for path, value in iter_strings(data)
        if field_name(path) in MEDIA_FIELDS and (new := convert(value)) != value
    ]
    if not changes:
        return data
    data = copy.deepcopy(data)
    for path, new in changes:
        _set(data, path, new)
    return data
