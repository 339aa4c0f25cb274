"""The SMS text as sent: the STOP mention, the sample values, and the same text without emoji."""

import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import ngettext

from editor.models import MessageTemplate
from messaging import links, sms
from messaging.variables import VariableError, compile_text, sample_values


def stop_mention_to_add(text, brand, traffic_type):
    """Return the brand's STOP mention that SMS text lacks, or "" when none is due.

    One is due for a promotion whose text is not empty and does not already carry it.
    """
    mention = (brand.stop_mention or "").strip() if brand is not None else ""
    if traffic_type != MessageTemplate.TrafficType.PROMOTION or not mention or not text.strip():
        return ""
    if mention.casefold() in text.casefold():
        return ""
    return mention


def with_stop_mention(text, brand, traffic_type):
    """Return the SMS text with the brand's STOP mention on its own last line for promotions."""
    text = text.strip()
    mention = stop_mention_to_add(text, brand, traffic_type)
    return f"{text}\n{mention}" if mention else text


def safe_sample_values(template):
    """Return the sample value of each variable template declares, or {} when they are malformed."""
    try:
        return sample_values(template.declared_variables())
    except VariableError:
        return {}


def render_with_placeholders(text, values):
    """Fill variables with values, showing "[name]" for any that has none."""
    compiled = compile_text(text)
    values = {**{name: f"[{name}]" for name in compiled.names}, **values}
    try:
        return compiled.render(values)
    except VariableError as exc:
        # A sample a link refuses (only dots) is shown by its name, as a missing one.
        return compiled.render({**values, exc.name: f"[{exc.name}]"})


def cost_as_sent(text, brand, traffic_type, values):
    """Return sms.analyze() of text as sent: STOP mention added, variables filled with values,
    links as long as the tracked links that replace them."""
    sent = with_stop_mention(text, brand, traffic_type)
    return sms.analyze(as_tracked(render_with_placeholders(sent, values)))


def as_tracked(text):
    """text with its links shown as the tracked links they become when sent (same length)."""
    return links.with_sample_links(text, settings.LINK_BASE_URL)


def without_emoji(text):
    """Return text in the standard SMS alphabet where it can be: look-alikes replaced, emoji out.

    Letters of other alphabets stay (they have no replacement), so the result may still be UCS-2.
    """
    text = sms.to_gsm(text)[0]
    kept = "".join(
        cluster
        for cluster in sms.graphemes(text)
        # Emoji, pictographs and other symbols (category S*) outside GSM say nothing a word
        # does not, and one of them cuts a segment from 160 to 70 characters.
        if sms.is_gsm(cluster) or not unicodedata.category(cluster[0]).startswith("S")
    )
    lines = (" ".join(line.split()) for line in kept.split("\n"))
    return "\n".join(line for line in lines if line)


@dataclass(frozen=True)
class EmojiFreeVariant:
    """The same SMS without emoji and look-alikes (without_emoji), and what it costs as sent."""

    text: str
    encoding: str
    segments: int
    characters: int
    segments_as_written: int
    # The characters taken out or replaced, each once, in order.
    removed: tuple[str, ...] = ()

    @property
    def note(self):
        """One translated sentence offering the variant."""
        values = {
            "characters": " ".join(self.removed),
            "as_written": _segments(self.segments_as_written),
            "without": _segments(self.segments),
        }
        if self.encoding == sms.GSM_7:
            return (
                ngettext(
                    "Only %(characters)s keeps this SMS in UCS-2: %(as_written)s as written, "
                    "%(without)s without it.",
                    "Only %(characters)s keep this SMS in UCS-2: %(as_written)s as written, "
                    "%(without)s without them.",
                    len(self.removed),
                )
                % values
            )
        return (
            ngettext(
                "Without %(characters)s: %(without)s instead of %(as_written)s.",
                "Without %(characters)s: %(without)s instead of %(as_written)s.",
                len(self.removed),
            )
            % values
        )


def _segments(count):
    return ngettext("%(count)d segment", "%(count)d segments", count) % {"count": count}


def emoji_free_variant(text, brand, traffic_type, values):
    """Offer text without emoji and look-alikes when that takes fewer segments as sent, else None.

    Emoji stay in the text the user wrote or generated (they may want them); this is the
    choice to make. Most often it turns UCS-2 into GSM-7: 160 characters a segment, not 70.
    """
    text = text.strip()
    lean = without_emoji(text)
    if not lean or lean == text:
        return None
    written = cost_as_sent(text, brand, traffic_type, values)
    sent = cost_as_sent(lean, brand, traffic_type, values)
    if sent.segments >= written.segments:
        return None
    removed = dict.fromkeys(
        cluster
        for cluster in sms.graphemes(text)
        if not sms.is_gsm(cluster) and without_emoji(cluster) != cluster
    )
    return EmojiFreeVariant(
        text=lean,
        encoding=sent.encoding,
        segments=sent.segments,
        characters=sent.characters,
        segments_as_written=written.segments,
        removed=tuple(removed),
    )
