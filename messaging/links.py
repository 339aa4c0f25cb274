"""Tracked-link codes and click ids: stateless, signed, short, URL-safe (no row per link).

A link code is ``<payload><mac>`` in base 62 (letters and digits only, so it survives SMS,
copy-paste, phone auto-linking and URL paths untouched): the payload is one integer holding
the message number and the CTA index, the MAC a truncated HMAC-SHA256 of the payload.

MAC length, 7 base-62 characters (about 41.7 bits): a forged code gains an attacker
nothing but a fake click on a real message (the redirect only ever goes to a URL that
message carried), and guessing is online only, one HTTP request per try. At a sustained
1,000 guesses a second the expected time to one valid code is about 50 years, while every
character matters in an SMS (the tracked link is counted in the segments). Click ids go to
shops and come back in conversions, out of sight of the reader: they get 8 characters.

Codes and click ids are signed under different labels, so neither passes for the other.
"""

import functools
import hashlib
import hmac
import re

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
BASE = len(ALPHABET)
_VALUE = {char: index for index, char in enumerate(ALPHABET)}

LINK_MAC_LENGTH = 7
CLICK_MAC_LENGTH = 8
# A message has at most 64 tracked links (11 chips + 10 cards × 4 buttons + SMS links fit).
CTA_LIMIT = 64
# Click times are whole seconds since 1970 and fit in 32 bits until 2106.
TIME_LIMIT = 2**32
# Longest payload accepted: message numbers up to 2**63 (a BigAutoField), with room to spare.
MAX_PAYLOAD_LENGTH = 18

# What the editor's counter and the SMS cap count in place of a code: as long as any code of
# the first 55 billion messages (7 payload + 7 MAC characters), so the count never falls short.
SAMPLE_CODE = "Ab3dE5gH7jK9mN"

# Links in SMS text: http(s) up to the next space or quote.
SMS_LINK_RE = re.compile(r"https?://[^\s<>\"]+", re.IGNORECASE)
# Punctuation that ends a sentence after a link, not the link ("Voir https://x.example/a.").
TRAILING = ".,;:!?)]}»'’"

_LINK_LABEL = b"relais.link:"
_CLICK_LABEL = b"relais.click:"


def derive_key(secret):
    """Return the signing key for links derived from an installation secret (a string)."""
    return hmac.new(secret.encode(), b"relais.tracked-links", hashlib.sha256).digest()


def replace_links(text, replacement):
    """Return text with each http(s) link replaced by replacement(url), or kept where it
    returns None; punctuation ending the sentence after a link stays outside it."""

    def replace(match):
        url = match.group()
        trail = len(url) - len(url.rstrip(TRAILING))
        url, rest = (url[:-trail], url[-trail:]) if trail else (url, "")
        new = replacement(url) if url else None
        return match.group() if new is None else new + rest

    return SMS_LINK_RE.sub(replace, text)


def with_sample_links(text, base_url):
    """text with each link as long as its tracked link on base_url: what gets counted."""
    return replace_links(text, lambda url: f"{base_url}/l/{SAMPLE_CODE}")


def settings_keys():
    """Return the signing keys of this installation: SECRET_KEY's first, then its fallbacks."""
    from django.conf import settings

    return _keys(settings.SECRET_KEY, tuple(settings.SECRET_KEY_FALLBACKS))


@functools.cache
def _keys(secret, fallbacks):
    return [derive_key(value) for value in (secret, *fallbacks)]


def decode_any(code, keys):
    """decode() under the first key of keys that verifies code; None when none does."""
    for key in keys:
        found = decode(code, key)
        if found is not None:
            return found
    return None


def encode(message_number, cta_index, key):
    """Return the tracked-link code for CTA ``cta_index`` of message ``message_number``."""
    _check(message_number, cta_index)
    payload = _to_base62(message_number * CTA_LIMIT + cta_index)
    return payload + _mac(_LINK_LABEL, payload, key, LINK_MAC_LENGTH)


def decode(code, key):
    """Return (message_number, cta_index) for a genuine code, None for anything else."""
    number = _verify(code, key, _LINK_LABEL, LINK_MAC_LENGTH)
    if number is None:
        return None
    return divmod(number, CTA_LIMIT)


def click_id(message_number, cta_index, clicked_at_unix, key):
    """Return a signed click id naming the message, the CTA and the second of the click."""
    _check(message_number, cta_index)
    clicked_at_unix = int(clicked_at_unix)
    if not 0 <= clicked_at_unix < TIME_LIMIT:
        raise ValueError("click time out of range")
    number = (message_number * CTA_LIMIT + cta_index) * TIME_LIMIT + clicked_at_unix
    payload = _to_base62(number)
    return payload + _mac(_CLICK_LABEL, payload, key, CLICK_MAC_LENGTH)


def read_click_id(value, key):
    """Return (message_number, cta_index, clicked_at_unix) for a genuine click id, else None."""
    number = _verify(value, key, _CLICK_LABEL, CLICK_MAC_LENGTH, extra=6)
    if number is None:
        return None
    link, clicked_at_unix = divmod(number, TIME_LIMIT)
    message_number, cta_index = divmod(link, CTA_LIMIT)
    return message_number, cta_index, clicked_at_unix


def _check(message_number, cta_index):
    if not isinstance(message_number, int) or message_number < 1:
        raise ValueError("message number must be a positive integer")
    if not isinstance(cta_index, int) or not 0 <= cta_index < CTA_LIMIT:
        raise ValueError(f"CTA index must be between 0 and {CTA_LIMIT - 1}")


def _verify(value, key, label, mac_length, extra=0):
    if not isinstance(value, str):
        return None
    if not mac_length < len(value) <= mac_length + MAX_PAYLOAD_LENGTH + extra:
        return None
    if any(char not in _VALUE for char in value):
        return None
    payload, mac = value[:-mac_length], value[-mac_length:]
    # One spelling per number: a leading zero would be a second code for the same link.
    if payload[0] == "0":
        return None
    if not hmac.compare_digest(mac, _mac(label, payload, key, mac_length)):
        return None
    number = 0
    for char in payload:
        number = number * BASE + _VALUE[char]
    if number < CTA_LIMIT:
        return None
    return number


def _mac(label, payload, key, length):
    # The key and label are absorbed once per process; each code only copies that state.
    digest = _keyed(key, label).copy()
    digest.update(payload.encode())
    digest = digest.digest()
    # The low base-62 digits of a 256-bit number are as good as uniform; the top one is not.
    return _to_base62(int.from_bytes(digest, "big") % BASE**length).rjust(length, "0")


@functools.lru_cache(maxsize=16)
def _keyed(key, label):
    return hmac.new(key, label, hashlib.sha256)


# Two base-62 digits at a time: half the divisions (two codes a message, at send time).
_PAIRS = [first + second for first in ALPHABET for second in ALPHABET]


def _to_base62(number):
    if number < BASE:
        return ALPHABET[number]
    pieces = []
    while number:
        number, rest = divmod(number, BASE * BASE)
        pieces.append(_PAIRS[rest])
    # Only the top pair can start with a zero digit.
    return "".join(reversed(pieces)).lstrip(ALPHABET[0])
