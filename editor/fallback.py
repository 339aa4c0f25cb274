"""The SMS fallback proposed from the RCS content ("Generate from the RCS content").

The proposal follows the rule of docs/message-format.md ("Generating the SMS from the RCS
message"): the message's sentences and line breaks are kept, a carousel names every card,
the link is the message's main link, and the less important sentences are left out, in a
fixed order, until the SMS as sent (STOP mention and sample values in) takes one segment.
"""

import bisect
import unicodedata
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

import regex
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from editor.models import MessageTemplate
from editor.sms_text import (
    EmojiFreeVariant,
    cost_as_sent,
    emoji_free_variant,
    safe_sample_values,
    without_emoji,
)
from messaging import sms, walk
from messaging.content import RcsContent, ensure_cta_ids, iter_suggestions, parse_content
from messaging.content_errors import ContentError

# propose_fallback() leaves sentences out until the SMS as sent takes this many segments.
PROPOSED_SEGMENTS = 1

# A button whose label has one of these words links to the whole offer ("Voir toutes les
# offres", "Tout voir", "See all"): the best link for an SMS that cannot show every button.
ALL_WORDS = frozenset({"tout", "toute", "toutes", "tous", "all", "everything"})

# A sentence ends at . ! ? or … (and closing quotes) before a space and a word that does
# not start in lower case: "Livraison offerte dès 50 €. Profitez" splits, "etc. et" does not.
_SENTENCE_END = regex.compile(r"(?<=[.!?…][\"'»”)\]]*)[^\S\n]+(?=[^\p{Ll}\s])")
_SPACES = regex.compile(r"[^\S\n]+")
_CLOSING = ".!?:;,…"


@dataclass(frozen=True)
class FallbackProposal:
    """An SMS proposed from RCS content, what it costs as sent, and what was done to make it."""

    text: str
    segments: int = 0
    characters: int = 0
    encoding: str = sms.GSM_7
    # The link of the SMS ("" when the message has none) and the button it comes from.
    link: str = ""
    link_label: str = ""
    # Sentences of the RCS message left out to fit.
    left_out: int = 0
    # False when the text takes more than PROPOSED_SEGMENTS, even without emoji.
    fits: bool = True
    notes: tuple[str, ...] = ()
    emoji_free: EmojiFreeVariant | None = None


@dataclass
class _Block:
    """One line group of the SMS (a title, a description, a text) cut into sentences."""

    sentences: list[tuple[str, str]]  # (sentence, what follows it: " " or "\n")
    # Sentences that are never left out, from the start of the block.
    keep: int = 0


def _block(text, *, essential=False):
    """Cut text into sentences and keep its line breaks; collapse spaces, drop empty lines."""
    sentences = []
    lines = (_SPACES.sub(" ", line).strip() for line in (text or "").splitlines())
    for line in filter(None, lines):
        parts = [part for part in _SENTENCE_END.split(line) if part]
        sentences.extend((part, " ") for part in parts)
        sentences[-1] = (sentences[-1][0], "\n")
    return _Block(sentences, keep=len(sentences) if essential else 0)


def _carousel_summary(cards):
    """Return the cards' titles in one line: "Soldes femme, Soldes homme, Accessoires"."""
    titles = (" ".join((card.get("title") or "").split()) for card in cards)
    return ", ".join(title.rstrip(_CLOSING + " ") for title in titles if title.rstrip(_CLOSING))


def _blocks(content):
    """Return the blocks of the SMS in reading order; the first ones are the most important."""
    data = content.to_storage()
    kind = walk.content_kind(data)
    if kind == "text":
        blocks = [_block(content.text)]
    elif kind == "card":
        card = walk.standalone_card(data).get("cardContent", {})
        blocks = [_block(card.get("title"), essential=True), _block(card.get("description"))]
    elif kind == "carousel":
        cards = walk.cards(data)
        blocks = [_block(_carousel_summary(cards), essential=True)]
        blocks.extend(_block(card.get("description")) for card in cards)
    else:
        blocks = []
    blocks = [block for block in blocks if block.sentences]
    if blocks and not any(block.keep for block in blocks):
        # Nothing is essential (a text, a card without title): its first sentence is.
        blocks[0].keep = 1
    return blocks


def _drop_order(blocks):
    """Return the block index of each sentence that may be left out, in the order they go.

    Descriptions and texts lose their last sentence first; a carousel's last card loses its
    description before the card before it; titles and the carousel's list of cards stay.
    """
    order = []
    for index in reversed(range(len(blocks))):
        order.extend([index] * (len(blocks[index].sentences) - blocks[index].keep))
    return order


def _compose(blocks, dropped, prefix, link):
    counts = [len(block.sentences) for block in blocks]
    for index in dropped:
        counts[index] -= 1
    lines = []
    for block, count in zip(blocks, counts, strict=True):
        kept = block.sentences[:count]
        if kept:
            lines.append("".join(text + after for text, after in kept[:-1]) + kept[-1][0])
    body = "\n".join(lines)
    if prefix and body:
        body = prefix + body
    if link and not _has_link(body, link):
        body = f"{body}\n{link}" if body else link
    return body


def _has_link(text, link):
    """True when text has link whole: not only the start of a longer address (…/soldes/femme)."""
    # The address ends at a space, the end, or punctuation closing the sentence.
    pattern = regex.escape(link) + r"(?=$|\s|[.,;:!?)»\"']+(?:\s|$))"
    return regex.search(pattern, text) is not None


def _host_and_path(url):
    try:
        parts = urlsplit(url)
    except ValueError:
        return url, ()
    return parts.netloc.lower(), tuple(segment for segment in parts.path.split("/") if segment)


def _covers(parent, child):
    """True when child is parent's page or one below it on the same host."""
    (host, path), (child_host, child_path) = _host_and_path(parent), _host_and_path(child)
    return host == child_host and child_path[: len(path)] == path


def _label_words(label):
    folded = unicodedata.normalize("NFD", label.casefold())
    return set(regex.findall(r"\w+", "".join(c for c in folded if not unicodedata.combining(c))))


def main_link(content):
    """Return the SuggestionRef whose link stands for the whole message, or None.

    In order: the first button or chip whose label says "all" (ALL_WORDS: "Voir toutes les
    offres", "See all"); else the link that is the page of, or a page above, the most links
    of the message when that is more than one (https://shop.example/soldes over .../femme and
    .../homme, or one address on several buttons); else the first link.
    """
    links = [ref for ref in iter_suggestions(content) if ref.url]
    if not links:
        return None
    for ref in links:
        if _label_words(ref.label) & ALL_WORDS:
            return ref
    # max() keeps the first of equals: the link shown first wins a tie.
    best = max(links, key=lambda ref: sum(_covers(ref.url, other.url) for other in links))
    if sum(_covers(best.url, other.url) for other in links) > 1:
        return best
    return links[0]


def _content_of(template_or_content):
    if isinstance(template_or_content, MessageTemplate):
        return parse_content(ensure_cta_ids(template_or_content.rcs_content or {}))
    if isinstance(template_or_content, RcsContent):
        return template_or_content
    return parse_content(ensure_cta_ids(template_or_content))


def propose_fallback(template_or_content, brand, traffic_type, *, values=None):
    """Propose an SMS fallback from RCS content, in one segment as sent when it can be.

    template_or_content is a MessageTemplate, RcsContent or content JSON; values fill the
    variables when counting (default: the template's sample values), and the variables stay
    in the text. The STOP mention due for promotions is counted, not included. Emoji and
    typographic characters are kept; emoji_free offers the text without them when that saves
    segments. Raises messaging.content_errors.ContentError when the content is not valid.
    """
    if values is None:
        is_template = isinstance(template_or_content, MessageTemplate)
        values = safe_sample_values(template_or_content) if is_template else {}
    content = _content_of(template_or_content)
    blocks = _blocks(content)
    link = main_link(content)
    url = link.url if link else ""
    # French rules: a promotional SMS names the advertiser; an alphanumeric sender ID does.
    prefix = ""
    if brand is not None and not brand.sms_sender_id and brand.name:
        prefix = brand.name.strip() + ": "
    order = _drop_order(blocks)

    def lean_cost(dropped):
        # Sentences are chosen on the text without emoji, so the offered variant fits too:
        # emoji go before words.
        lean = without_emoji(_compose(blocks, order[:dropped], prefix, url))
        return cost_as_sent(lean, brand, traffic_type, values)

    shortest = lean_cost(len(order))
    target = max(PROPOSED_SEGMENTS, shortest.segments)
    dropped = bisect.bisect_left(
        range(len(order) + 1), True, key=lambda count: lean_cost(count).segments <= target
    )
    text = _compose(blocks, order[:dropped], prefix, url)
    if not text:
        return FallbackProposal(text="")
    analysis = cost_as_sent(text, brand, traffic_type, values)
    variant = emoji_free_variant(text, brand, traffic_type, values)
    # What the user gets at best: the text as proposed, or without its emoji when offered.
    best = variant if variant is not None else analysis
    proposal = FallbackProposal(
        text=text,
        segments=analysis.segments,
        characters=analysis.characters,
        encoding=analysis.encoding,
        link=url,
        link_label=link.label if link else "",
        left_out=dropped,
        fits=best.segments <= PROPOSED_SEGMENTS,
        emoji_free=variant,
    )
    return replace(proposal, notes=_notes(proposal, best))


def _notes(proposal, best):
    """Say which link was taken, what was left out, and when one segment was out of reach.

    The offer of the text without emoji has its own note (EmojiFreeVariant.note).
    """
    notes = []
    if proposal.link_label:
        notes.append(_("Link of the button “%(label)s”.") % {"label": proposal.link_label})
    if proposal.left_out:
        notes.append(
            ngettext(
                "%(count)d sentence of the RCS message left out to keep the SMS short.",
                "%(count)d sentences of the RCS message left out to keep the SMS short.",
                proposal.left_out,
            )
            % {"count": proposal.left_out}
        )
    if not proposal.fits:
        notes.append(
            _("Could not fit one segment: %(segments)d segments, %(characters)d characters.")
            % {"segments": best.segments, "characters": best.characters}
        )
    return tuple(notes)


def proposal_notes(template):
    """Return the notes of the proposal when template's SMS is still the generated one, else []."""
    text = (template.sms_fallback or "").replace("\r\n", "\n").strip()
    if not text or template.rcs_only:
        return []
    try:
        proposal = propose_fallback(template, template.brand, template.traffic_type)
    except ContentError:
        # A message with mistakes proposes nothing; the panel lists the mistakes instead.
        return []
    return list(proposal.notes) if proposal.text == text else []


def proposal_json(proposal):
    """Return the proposal as the editor's "Generate" button receives it."""
    variant = proposal.emoji_free
    if variant is not None:
        variant = {"text": variant.text, "segments": variant.segments, "note": variant.note}
    return {
        "text": proposal.text,
        "segments": proposal.segments,
        "characters": proposal.characters,
        "encoding": proposal.encoding,
        "link": proposal.link,
        "fits": proposal.fits,
        "notes": list(proposal.notes),
        "emoji_free": variant,
    }
