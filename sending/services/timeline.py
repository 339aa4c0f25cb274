"""What came back for a message, in words and in order: receipts, taps, clicks and replies."""

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from audience import services as audience
from messaging import walk
from messaging.providers.normalized import EventType

# Shown as the message's status already, or carrying nothing a person did.
UNSHOWN = {EventType.QUEUED, EventType.UNKNOWN}
TAPS = {EventType.CLICKED, EventType.REPLIED}


@dataclass(frozen=True)
class Moment:
    """One thing that happened to a message: when, what kind (for the icon) and in words."""

    at: datetime
    kind: str
    text: str


def timeline(message):
    """The message's events as Moments, oldest first (the events may be prefetched)."""
    events = sorted(message.events.all(), key=lambda event: (event.occurred_at, event.pk))
    labels = None
    moments = []
    for event in events:
        if event.type in UNSHOWN:
            continue
        if event.type in TAPS and not event.text and labels is None:
            labels = _button_labels(message)
        kind, text = _describe(event, message, labels or {})
        moments.append(Moment(event.occurred_at, kind, text))
    return moments


def _describe(event, message, labels):
    raw = event.raw if isinstance(event.raw, dict) else {}
    if event.type in TAPS or event.type == EventType.TEXT:
        keyword = audience.recognise(event.text, _postback(raw))
        if keyword is audience.Keyword.STOP:
            text = _("STOP — opted out (test data)") if message.test_mode else _("STOP — opted out")
            return "stop", text
        if keyword is audience.Keyword.START and event.type == EventType.TEXT:
            text = _("START — opted back in (test data)") if message.test_mode else _("START")
            return "start", text
    if event.type in TAPS:
        label = event.text or labels.get(event.cta_id)
        if label:
            return "tap", _("Tapped “%(label)s”") % {"label": label}
        url = raw.get("url")
        if isinstance(url, str) and url:
            return "tap", _("Clicked %(url)s") % {"url": url}
        return "tap", _("Clicked a link")
    if event.type == EventType.TEXT:
        return "reply", _("Replied: %(text)s") % {"text": event.text}
    text = str(event.get_type_display())
    if event.channel:
        text = _("%(what)s (%(channel)s)") % {"what": text, "channel": event.get_channel_display()}
    if event.error_code:
        text = f"{text} · {event.error_code}"
    return "status", text


def _postback(raw):
    response = raw.get("suggestionResponse")
    postback = (response if isinstance(response, dict) else {}).get("postbackData")
    postback = postback or raw.get("postbackData")
    return postback if isinstance(postback, str) else None


def _button_labels(message):
    """{ctaId: label} of the buttons the message carried (its version's, or a draft's)."""
    version = message.template_version
    content = version.rcs_content if version is not None else message.rcs_content
    labels = {}
    for _path, suggestion in walk.iter_suggestions(content or {}):
        body = suggestion.get("action") or suggestion.get("reply") or {}
        if suggestion.get("ctaId") and isinstance(body, dict) and body.get("text"):
            labels[suggestion["ctaId"]] = body["text"]
    return labels
