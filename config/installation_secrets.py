"""This installation's own random secrets, kept in a 0600 file under var/ unless the
environment gives them.

Every process (manage.py, the web server, the RQ worker) reads the file as the settings load,
so they agree; the first to start creates it. Creation holds an exclusive lock on a lock file
beside it, reads again, and renames a complete temporary file into place: a reader sees no
file or a whole one, and two processes starting at once end up with the same secrets.
"""

import contextlib
import fcntl
import json
import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from config import env

# Values printed in our source or .env.example: anyone can sign sessions or forge webhooks
# with them, so a production server refuses them.
KNOWN_PUBLIC_VALUES = frozenset(
    {
        "relais-dev-key-do-not-use-in-production",
        "change-me-to-a-long-random-string-of-50-characters-or-more",
    }
)
# token_urlsafe(50) gives 67 characters; Django wants at least 50 with 5 different ones.
TOKEN_BYTES = 50
MIN_LENGTH = 32


def resolve(path, names):
    """{name: value} for each name: the environment variable, else the value kept in path
    (generated and written there the first time it is needed)."""
    values = {name: env.get_str(name) for name in names}
    missing = [name for name, value in values.items() if not value]
    if missing:
        kept = load(Path(path), missing)
        values.update({name: kept[name] for name in missing})
    return values


def load(path, names):
    """The secrets kept in path, after adding a random value for each of names it lacks."""
    kept = _read(path)
    if kept is not None and all(name in kept for name in names):
        return kept
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with _locked(path):
            kept = _read(path) or {}  # another process may have written it meanwhile
            lacking = [name for name in names if name not in kept]
            if lacking:
                kept.update({name: secrets.token_urlsafe(TOKEN_BYTES) for name in lacking})
                _write(path, kept)
    except OSError as exc:
        raise ImproperlyConfigured(
            f"Cannot write this installation's secrets to {path} ({exc.strerror or exc}). "
            f"Make {path.parent} writable by the user running Relais, or set "
            f"{' and '.join(names)} in the environment."
        ) from None
    return kept


def _read(path):
    """The secrets in path, None when there is no file yet; ImproperlyConfigured if unusable."""
    try:
        text = path.read_text(encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError):
        return None  # not created yet (or no folder to hold it: load() says so)
    except (OSError, UnicodeDecodeError) as exc:
        raise ImproperlyConfigured(
            f"Cannot read this installation's secrets from {path} "
            f"({getattr(exc, 'strerror', None) or exc}). Give the user running Relais read "
            "access to it (mode 0600, owned by that user)."
        ) from None
    try:
        kept = json.loads(text)
    except ValueError:
        kept = None
    if not (
        isinstance(kept, dict)
        and all(isinstance(value, str) and len(value) >= MIN_LENGTH for value in kept.values())
    ):
        # Never echo the content: it may hold a secret.
        raise ImproperlyConfigured(
            f"{path} is damaged: it must be a JSON object of secrets of at least {MIN_LENGTH} "
            "characters. Restore it from your backup, or delete it to generate new secrets "
            "(everyone is signed out and webhooks in flight are refused)."
        )
    return kept


@contextlib.contextmanager
def _locked(path):
    lock_path = path.with_name(path.name + ".lock")
    descriptor = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock


def _write(path, kept):
    """Replace path with the secrets in one rename, the file readable by its owner only."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(descriptor, 0o600)  # whatever the umask, or a file left by a crash
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            descriptor = None
            json.dump(kept, file, indent=2, sort_keys=True)
            file.write("\n")
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        if descriptor is not None:
            os.close(descriptor)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
