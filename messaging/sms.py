"""SMS encoding: GSM-7 or UCS-2 detection, segment counting, splitting, look-alike replacement.

Figures follow 3GPP TS 23.038 / 23.040 as Twilio models them: one SMS carries 140 octets;
a GSM-7 message holds 160 septets alone or 153 per segment once split (the 6-octet concatenation
header), a UCS-2 message 70 UTF-16 code units alone or 67 per segment. Characters of the GSM
extension table cost two septets (ESC + code). Positions given to the UI are grapheme
indexes, so they match what the user sees in the editor (an emoji or a flag is one position).
"""

import unicodedata
from dataclasses import dataclass

import regex
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

GSM_7 = "GSM-7"
UCS_2 = "UCS-2"

GSM7_SINGLE = 160
GSM7_PART = 153
UCS2_SINGLE = 70
UCS2_PART = 67

# GSM 03.38 default alphabet, code points 0x00 to 0x7F in order (3GPP TS 23.038). 0x1B is the
# escape to the extension table and is not a character of its own, so "\x1b" stands in for it
# here and is removed from the set below. Note "$" is 0x02, 0x24 is "¤" and 0x60 is "¿":
# the backtick is not GSM, and only the capital Ç is (0x09).
_GSM_BASIC_TABLE = (
    "@£$¥èéùìòÇ\nØø\rÅå"
    "Δ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ"
    " !\"#¤%&'()*+,-./"
    "0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNO"
    "PQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmno"
    "pqrstuvwxyzäöñüà"
)
GSM_BASIC = frozenset(_GSM_BASIC_TABLE) - {"\x1b"}

# Extension table: each of these is sent as ESC + code, so it costs two septets in GSM-7
# (but a single code unit once the message is UCS-2 anyway).
GSM_EXTENSION = frozenset("\f^{}\\[~]|€")

GSM_CHARACTERS = GSM_BASIC | GSM_EXTENSION

_GRAPHEME_RE = regex.compile(r"\X")

# Look-alikes that word processors and phone keyboards produce, with the GSM text that
# marketers expect instead. One of them is enough to force UCS-2 and cut the message
# from 160 to 70 characters per SMS.
LOOKALIKES = {
    # apostrophes and single quotes
    "\u2019": "'",  # ’ typographic apostrophe (French keyboards and Word)
    "\u2018": "'",  # ‘
    "\u201a": "'",  # ‚
    "\u201b": "'",  # ‛
    "\u2032": "'",  # ′ prime
    "\u02bc": "'",  # ʼ modifier apostrophe
    "\u00b4": "'",  # ´ acute accent
    "`": "'",  # backtick is not in GSM 03.38
    "\u2039": "'",  # ‹
    "\u203a": "'",  # ›
    # double quotes
    "\u00ab": '"',  # «
    "\u00bb": '"',  # »
    "\u201c": '"',  # “
    "\u201d": '"',  # ”
    "\u201e": '"',  # „
    "\u201f": '"',  # ‟
    "\u2033": '"',  # ″ double prime
    # dashes and bullets
    "\u2010": "-",  # ‐ hyphen
    "\u2011": "-",  # non-breaking hyphen
    "\u2012": "-",  # ‒ figure dash
    "\u2013": "-",  # – en dash
    "\u2014": "-",  # — em dash
    "\u2015": "-",  # ― horizontal bar
    "\u2212": "-",  # − minus sign
    "\u2022": "-",  # • bullet, used for lists in promotions
    "\u2026": "...",  # … ellipsis
    # spaces: French typography puts a (narrow) non-breaking space before ! ? : ;
    "\u00a0": " ",
    "\u202f": " ",
    "\u2002": " ",
    "\u2003": " ",
    "\u2004": " ",
    "\u2005": " ",
    "\u2006": " ",
    "\u2007": " ",
    "\u2008": " ",
    "\u2009": " ",
    "\u200a": " ",
    "\u205f": " ",
    "\u3000": " ",
    "\t": " ",
    "\u2028": "\n",  # line separator
    "\u2029": "\n",  # paragraph separator
    # invisible characters pasted from web pages: they cost a UCS-2 message and show nothing
    "\u200b": "",  # zero-width space
    "\u2060": "",  # word joiner
    "\ufeff": "",  # byte order mark
    "\u00ad": "",  # soft hyphen
    # letters with no decomposition to a plain letter
    "œ": "oe",
    "Œ": "OE",
    "ł": "l",
    "Ł": "L",
    "đ": "d",
    "Đ": "D",
    "ı": "i",
}


@dataclass(frozen=True)
class SmsAnalysis:
    """What a text costs as an SMS: encoding, size, segments and the characters forcing UCS-2."""

    encoding: str
    length: int
    characters: int
    segments: int
    per_segment: int
    remaining: int
    ucs2_characters: list[tuple[int, str]]


@dataclass(frozen=True)
class Replacement:
    """One change made by to_gsm: grapheme position in the original text, before and after."""

    position: int
    original: str
    replacement: str


def is_gsm(text: str) -> bool:
    """Return True when every character of text is in the GSM 03.38 basic or extension table."""
    # One C loop over the text: the batch engine measures every message twice.
    return GSM_CHARACTERS.issuperset(text)


def graphemes(text: str) -> list[str]:
    """Split text into user-perceived characters (extended grapheme clusters)."""
    return _GRAPHEME_RE.findall(text)


def _septets(text: str) -> int:
    if GSM_EXTENSION.isdisjoint(text):
        return len(text)
    return len(text) + sum(map(text.count, GSM_EXTENSION))


def _utf16_units(text: str) -> int:
    if text.isascii():
        return len(text)
    # surrogatepass: a lone surrogate counts one unit, as it did character by character.
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _atoms(clusters: list[str], cost, budget: int) -> list[tuple[str, int]]:
    """Return the pieces that must stay together, with their cost, for a part of budget units."""
    atoms = []
    for cluster in clusters:
        size = cost(cluster)
        if size <= budget:
            atoms.append((cluster, size))
        else:
            # A cluster bigger than a whole part (a letter with dozens of combining marks)
            # cannot stay whole; cut it between code points, which keeps surrogate pairs.
            atoms.extend((char, cost(char)) for char in cluster)
    return atoms


def _pack(clusters: list[str], encoding: str) -> tuple[list[str], list[int], int]:
    """Return the parts, the cost of each part and the per-part budget for clusters."""
    cost = _septets if encoding == GSM_7 else _utf16_units
    single, part = (GSM7_SINGLE, GSM7_PART) if encoding == GSM_7 else (UCS2_SINGLE, UCS2_PART)
    total = sum(cost(cluster) for cluster in clusters)
    if total == 0:
        return [], [], single
    if total <= single:
        return ["".join(clusters)], [total], single
    parts, costs = [], []
    current, used = [], 0
    for atom, size in _atoms(clusters, cost, part):
        if used + size > part:
            parts.append("".join(current))
            costs.append(used)
            current, used = [], 0
        current.append(atom)
        used += size
    parts.append("".join(current))
    costs.append(used)
    return parts, costs, part


def _ucs2_characters(clusters: list[str]) -> list[tuple[int, str]]:
    return [(index, cluster) for index, cluster in enumerate(clusters) if not is_gsm(cluster)]


def analyze(text: str) -> SmsAnalysis:
    """Return the encoding, size and segment count text would have as an SMS."""
    if len(text) <= GSM7_SINGLE and is_gsm(text):
        short = _short_gsm(text)
        if short is not None:
            return short
    clusters = graphemes(text)
    ucs2 = _ucs2_characters(clusters)
    encoding = UCS_2 if ucs2 else GSM_7
    length = _utf16_units(text) if ucs2 else _septets(text)
    parts, costs, per_segment = _pack(clusters, encoding)
    return SmsAnalysis(
        encoding=encoding,
        length=length,
        characters=len(clusters),
        segments=len(parts),
        per_segment=per_segment,
        remaining=per_segment - (costs[-1] if costs else 0),
        ucs2_characters=ucs2,
    )


def _short_gsm(text: str) -> SmsAnalysis | None:
    """analyze() of a GSM text that fits one part, without splitting it into graphemes (the
    batch engine measures every message): among GSM characters only CR LF joins two code
    points into one character. None when it does not fit."""
    septets = _septets(text)
    if septets > GSM7_SINGLE:
        return None
    return SmsAnalysis(
        encoding=GSM_7,
        length=septets,
        characters=len(text) - text.count("\r\n"),
        segments=1 if septets else 0,
        per_segment=GSM7_SINGLE,
        remaining=GSM7_SINGLE - septets,
        ucs2_characters=[],
    )


def min_segments(text: str) -> int:
    """Return a lower bound of analyze(text).segments, in time linear in C even for huge texts.

    It counts septets or UTF-16 units without cutting the text into graphemes; packing whole
    characters can only need more segments, never fewer.
    """
    if not text:
        return 0
    if GSM_CHARACTERS.issuperset(text):
        units = len(text) + sum(text.count(char) for char in GSM_EXTENSION)
        single, part = GSM7_SINGLE, GSM7_PART
    else:
        units = len(text.encode("utf-16-le", "surrogatepass")) // 2
        single, part = UCS2_SINGLE, UCS2_PART
    return 1 if units <= single else -(-units // part)


def split(text: str) -> list[str]:
    """Split text into the segments a phone network would send, never cutting a character."""
    clusters = graphemes(text)
    encoding = UCS_2 if _ucs2_characters(clusters) else GSM_7
    parts, _costs, _per_segment = _pack(clusters, encoding)
    return parts


def _gsm_lookalike(cluster: str) -> str | None:
    """Return the GSM text to send instead of cluster, or None when there is none."""
    if cluster in LOOKALIKES:
        return LOOKALIKES[cluster]
    composed = unicodedata.normalize("NFC", cluster)
    if is_gsm(composed):
        # A decomposed é (e + combining acute) is the GSM é once composed.
        return composed
    if composed in LOOKALIKES:
        return LOOKALIKES[composed]
    # Accented letters outside GSM lose their accent: â ê î ô û ë ï ç À È Ê ... become
    # a e i o u e i c A E E. The accented GSM neighbour (é for ê, Ç for ç) would change
    # the word or its case, which readers notice more than a missing accent.
    base, *marks = unicodedata.normalize("NFD", composed)
    is_letter = unicodedata.category(base).startswith("L")
    only_accents = all(unicodedata.category(mark) == "Mn" for mark in marks)
    if marks and is_letter and only_accents and base in GSM_CHARACTERS:
        return base
    return None


_GUILLEMET_SPACES = frozenset(" \u00a0\u202f\u2009")


def to_gsm(text: str) -> tuple[str, list[Replacement]]:
    """Replace look-alike characters with GSM ones; return the new text and the changes made.

    Characters without a GSM equivalent (emoji, °, Greek lower case...) are kept: they still
    force UCS-2, and analyze() of the result names them.
    """
    clusters = graphemes(text)
    out = []
    for cluster in clusters:
        replacement = None if is_gsm(cluster) else _gsm_lookalike(cluster)
        out.append(cluster if replacement is None else replacement)
    last = len(clusters) - 1
    for index, cluster in enumerate(clusters):
        # French puts a space inside guillemets: « top » would become " top ", which reads
        # as a mistake; straight quotes hug the word.
        if cluster == "«" and index < last and clusters[index + 1] in _GUILLEMET_SPACES:
            out[index + 1] = ""
        if cluster == "»" and index > 0 and clusters[index - 1] in _GUILLEMET_SPACES:
            out[index - 1] = ""
        # Œuvre → Oeuvre, ŒUVRE → OEUVRE.
        if cluster == "Œ" and index < last and clusters[index + 1].islower():
            out[index] = "Oe"
    replacements = [
        Replacement(position, original, new)
        for position, (original, new) in enumerate(zip(clusters, out, strict=True))
        if original != new
    ]
    return "".join(out), replacements


def _visible(cluster: str) -> str:
    """Return cluster as the user can see it in a sentence (invisible characters by code)."""
    if all(unicodedata.category(char)[0] in "ZC" for char in cluster):
        return " ".join(f"U+{ord(char):04X}" for char in cluster)
    return cluster


_EXPLAIN_SHOWN = 3


def explain(analysis: SmsAnalysis) -> str:
    """Return one translated sentence saying why the text has its encoding and what it costs."""
    if analysis.segments == 0:
        return _("Empty message.")
    if analysis.encoding == GSM_7:
        return _(
            "Standard SMS alphabet (GSM-7): one segment holds %(single)d characters, "
            "%(part)d each when the SMS takes several."
        ) % {"single": GSM7_SINGLE, "part": GSM7_PART}
    first_seen = {}
    for index, cluster in analysis.ucs2_characters:
        first_seen.setdefault(cluster, index)
    items = [
        _("%(character)s (position %(position)d)")
        % {"character": _visible(cluster), "position": index + 1}
        for cluster, index in list(first_seen.items())[:_EXPLAIN_SHOWN]
    ]
    others = len(first_seen) - _EXPLAIN_SHOWN
    if others > 0:
        items.append(
            ngettext("%(count)d other character", "%(count)d other characters", others)
            % {"count": others}
        )
    if len(items) == 1:
        listing = items[0]
    else:
        listing = _("%(items)s and %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}
    return _(
        "UCS-2 because of %(characters)s: a segment holds %(ucs2)d characters instead of %(gsm)d."
    ) % {
        "characters": listing,
        "ucs2": UCS2_SINGLE,
        "gsm": GSM7_SINGLE,
    }
