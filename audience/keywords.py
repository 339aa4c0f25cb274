"""The keywords people text back (STOP, START, HELP), read the way French customers write them.

A reply is a keyword when, once normalised, it is the keyword itself, optionally after a
greeting or a request ("Bonjour", "merci de", "je veux me") and followed only by words that
say what to stop, politeness, a number (the "36111" of the STOP mention) or a signature after
a sign-off. Anything else ("stop au gaspillage", "ne stoppez pas ma commande") is a sentence,
not a keyword. docs/sending.md ("Keywords") lists the rule with examples; the word sets below
are the whole vocabulary, written as people type them and normalised like the replies.
"""

import enum
import re
import unicodedata

# postbackData of the "Se désabonner" suggestion the editor adds to RCS content.
UNSUBSCRIBE_POSTBACKS = frozenset({"STOP", "UNSUBSCRIBE"})

# A keyword reply is short: a longer text is a letter and is not read word by word.
MAX_CHARS = 320
MAX_WORDS = 24
# Words allowed after a sign-off ("cordialement, Jean-Pierre Martin") without being read.
SIGNATURE_MAX_WORDS = 3

_NOT_WORD_RE = re.compile(r"[^A-Z0-9]+")
# Letters typed three times or more ("STOOOP") count once.
_REPEATS_RE = re.compile(r"([A-Z])\1{2,}")
# Digits typed for the letters they look like, read so only inside a word that has letters:
# "ST0P" is STOP, while the "36111" after it stays a number.
_LOOKALIKE_DIGITS = str.maketrans("013457", "OIEAST")


class Keyword(enum.StrEnum):
    """What a recognised reply asks for."""

    STOP = "stop"
    START = "start"
    HELP = "help"


def normalize_keyword(text):
    """Upper-case words without accents, punctuation, spacing tricks or look-alike digits:
    " Arrêt ! " → "ARRET", "S T 0 P 36111" → "STOP 36111"."""
    return " ".join(_words(text))


def _words(text):
    decomposed = unicodedata.normalize("NFKD", text or "")
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    words = _NOT_WORD_RE.sub(" ", bare.upper()).split()
    words = _join_spelled_out(words)
    return [part for word in words for part in _read_word(word)]


def _join_spelled_out(words):
    """Join runs of three or more one-character words: "S T O P" → "STOP"."""
    joined, run = [], []
    for word in [*words, ""]:
        if len(word) == 1:
            run.append(word)
            continue
        joined.extend(["".join(run)] if len(run) >= 3 else run)
        run = []
        if word:
            joined.append(word)
    return joined


def _read_word(word):
    """One normalised word, or a word and the number glued to its end ("STOP36111")."""
    if word.isdigit():
        return [word]
    letters = word.rstrip("0123456789")
    number = word[len(letters) :]
    if len(number) < 2:
        letters, number = word, ""
    letters = _REPEATS_RE.sub(r"\1", letters.translate(_LOOKALIKE_DIGITS))
    return [letters, number] if number else [letters]


def _vocabulary(*phrases):
    """The normalised words of phrases written as people type them."""
    return frozenset(word for phrase in phrases for word in _words(phrase))


# Each keyword and its variants; a phrase of two words ("opt out") must come whole.
KEYWORDS = {
    Keyword.STOP: (
        "stop", "stopper", "stoppez", "stoppe", "stopall", "stopsms", "stoppub",
        "arrêt", "arrêter", "arrêtez", "arrête",
        "désabonner", "désabonnez", "désabonne", "désabonnement",
        "désinscrire", "désinscrivez", "désinscris", "désinscription",
        "unsubscribe", "optout", "opt out",
    ),
    # REPRENDRE is left out on purpose: alone it is as likely to be about an order.
    Keyword.START: (
        "start", "unstop", "réabonner", "réabonnez", "réabonnement", "resubscribe",
    ),
    Keyword.HELP: ("aide", "aidez", "help", "info", "infos"),
}  # fmt: skip
# CANCEL, END and QUIT (opt-out words in the US) are left out: a French customer writing
# "cancel" means an order.

# Words that may come before the keyword: a greeting or a request.
LEAD_WORDS = _vocabulary(
    "bonjour", "bonsoir", "salut", "hello", "hi", "madame", "monsieur",
    "je veux", "je voudrais", "je souhaite", "je souhaiterais", "veuillez",
    "merci de", "merci d'", "svp", "stp", "please", "j'", "me", "m'", "se",
)  # fmt: skip

# Words that may follow it: what to stop, small words, politeness.
TAIL_WORDS = _vocabulary(
    "sms", "message", "messages", "msg", "texto", "textos", "envoi", "envois", "envoyer",
    "pub", "pubs", "publicité", "publicités", "promo", "promos", "promotions", "offres",
    "marketing", "newsletter", "notifications", "abonnement", "inscription",
    "all", "tout", "tous", "toutes", "moi", "me", "m'", "nous",
    "le", "la", "les", "l'", "de", "des", "du", "d'", "à", "au", "aux",
    "vos", "votre", "mes", "mon", "ma", "ces", "ici", "maintenant", "immédiatement",
    "svp", "stp", "s'il vous plaît", "s'il te plaît", "sil vous plait", "please", "pls", "plz",
)  # fmt: skip

# A sign-off: what follows it is a signature, read no further.
SIGN_OFF_WORDS = _vocabulary(
    "merci", "merci beaucoup", "merci d'avance", "cordialement", "bien cordialement",
    "cdlt", "salutations", "amicalement", "bisous", "bises", "bonne journée",
    "bonne soirée", "thanks", "thank you", "thx", "regards",
)  # fmt: skip

_PHRASES = {
    tuple(_words(variant)): keyword
    for keyword, variants in KEYWORDS.items()
    for variant in variants
}
_LONGEST_PHRASE = max(len(phrase) for phrase in _PHRASES)


def recognise(text, postback=None):
    """The keyword an inbound text (or a tapped suggestion's postback) is, or None."""
    if postback and postback.strip().upper() in UNSUBSCRIBE_POSTBACKS:
        return Keyword.STOP
    if not text or len(text) > MAX_CHARS:
        return None
    words = _words(text)
    if len(words) > MAX_WORDS:
        return None
    keyword = _keyword_reply(words)
    if keyword is None and _opens_with_stop(text):
        return Keyword.STOP
    return keyword


def _keyword_reply(words):
    """The keyword the words are (leading requests, trailing courtesy allowed), or None."""
    start = 0
    while start < len(words) and words[start] in LEAD_WORDS and _keyword_at(words, start) is None:
        start += 1
    found = _keyword_at(words, start)
    if found is None:
        return None
    keyword, end = found
    return keyword if _only_courtesy(words[end:], keyword) else None


# Marks that end a clause: "stop, la promo est nulle" says STOP, then says why.
_CLAUSE_END_RE = re.compile(r"[,.;:!\n]")


def _opens_with_stop(text):
    """True when the reply's first clauses alone are a STOP ("Stop, la promo est nulle",
    "Bonjour, STOP ! Vous m'embêtez"): a refusal followed by its reason still refuses. Only
    STOP is read this generously: a missed opt-out breaks the law and the customer's trust,
    while a START or a HELP needs a clear request."""
    for clause_end in _CLAUSE_END_RE.finditer(text):
        if _keyword_reply(_words(text[: clause_end.start()])) is Keyword.STOP:
            return True
    return False


def _keyword_at(words, start):
    """(keyword, index after it) when a keyword phrase begins at start, else None."""
    for length in range(_LONGEST_PHRASE, 0, -1):
        keyword = _PHRASES.get(tuple(words[start : start + length]))
        if keyword is not None:
            return keyword, start + length
    return None


def _only_courtesy(words, keyword):
    """True when the words after a keyword add nothing but what to stop, politeness, numbers,
    the keyword again, or a sign-off followed by a short signature."""
    for index, word in enumerate(words):
        if word in SIGN_OFF_WORDS:
            signature = [rest for rest in words[index:] if not _is_courtesy(rest, keyword)]
            return len(signature) <= SIGNATURE_MAX_WORDS
        if not _is_courtesy(word, keyword):
            return False
    return True


def _is_courtesy(word, keyword):
    return (
        word in TAIL_WORDS
        or word in SIGN_OFF_WORDS
        or word.isdigit()
        or _PHRASES.get((word,)) == keyword
    )


def is_unsubscribe(text, postback=None):
    """True when an inbound text or a tapped suggestion asks to stop receiving messages."""
    return recognise(text, postback) is Keyword.STOP
