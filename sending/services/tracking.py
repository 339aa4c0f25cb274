"""Tracked links, put in at send time: every URL a message carries becomes LINK_BASE_URL/l/<code>.

The first time a message is prepared (in a batch or on its own), its links are collected (the
RCS open-URL buttons in display order, then the http(s) links of its SMS text) and kept on
message.links, and its SMS text is rewritten and counted again. Later passes (a retry, the
SMS fallback) reuse what is kept, so a message's codes never change and the redirect only
ever goes to a URL the message carried. Where the buttons sit and which CTA id each has is
worked out once per template version; per message only the codes differ.
"""

import functools

from django.conf import settings

from editor.models import TemplateVersion
from messaging import links, sms, walk
from messaging.providers.normalized import Channel
from messaging.variables import VariableError, compile_content

# Fields track() may change, for callers that save only those.
FIELDS = ["links", "sms_text", "sms_encoding", "sms_segments", "updated"]


def tracked_url(code):
    """The public address of a tracked-link code."""
    return f"{settings.LINK_BASE_URL}/l/{code}"


def track(message, rcs_content=None, values=None):
    """Give message its tracked links (once) and return rcs_content with its buttons' URLs
    replaced; rcs_content is RBM JSON shared between messages and is never changed in place."""
    plan = _plan(message)
    # The signing key and the links' address, read once a message (the batch engine calls
    # this for every message it sends).
    key = links.settings_keys()[0]
    own = tracked_url("")
    if message.links is None:
        _collect(message, plan, rcs_content, values, key, own)
    if rcs_content is None or not plan:
        return rcs_content
    for index, (path, _cta, _url) in enumerate(plan):
        if index >= len(message.links) or message.links[index]["channel"] != Channel.RCS:
            break
        url = own + links.encode(message.pk, index, key)
        rcs_content = _replace(rcs_content, (*path, "action", "openUrlAction", "url"), url)
    return rcs_content


def described(message):
    """The message's tracked links as the API shows them: CTA, channel, target, tracked URL."""
    key = links.settings_keys()[0]
    return [
        {
            "cta_id": link["cta"],
            "channel": link["channel"],
            "url": link["url"],
            "tracked_url": tracked_url(links.encode(message.pk, index, key)),
        }
        for index, link in enumerate(message.links or [])
        if link.get("url")
    ]


def _collect(message, plan, rcs_content, values, key, own):
    found = []
    for path, cta_id, compiled in plan:
        url = _url_at(rcs_content, path) if rcs_content is not None else None
        if url is None:
            url = _render(compiled, values if values is not None else message.variables)
        found.append({"cta": cta_id or f"rcs-{len(found) + 1}", "url": url, "channel": "rcs"})
    found = found[: links.CTA_LIMIT]
    if message.sms_text:
        message.sms_text = _track_sms(message, message.sms_text, found, key, own)
        analysis = sms.analyze(message.sms_text)
        message.sms_encoding, message.sms_segments = analysis.encoding, analysis.segments
    message.links = found


def _track_sms(message, text, found, key, own):
    """Return text with each http(s) link replaced by its tracked link (own + code), adding
    to found."""
    by_url = {}
    buttons = {item["url"]: item["cta"] for item in found}

    def replace(url):
        if url.startswith(own):
            return None
        index = by_url.get(url)
        if index is None:
            if len(found) >= links.CTA_LIMIT:
                return None
            index = by_url[url] = len(found)
            sms_count = sum(1 for item in found if item["channel"] == Channel.SMS) + 1
            found.append(
                {"cta": buttons.get(url) or f"sms-{sms_count}", "url": url, "channel": "sms"}
            )
        return own + links.encode(message.pk, index, key)

    return links.replace_links(text, replace)


def _plan(message):
    """[(path of the suggestion, CTA id, compiled URL)] for each open-URL button, in order."""
    if message.template_version_id is not None:
        version = message.template_version
        return _version_plan(version.pk, version.published_at)
    return _button_plan(message.rcs_content or {})


@functools.lru_cache(maxsize=64)
def _version_plan(version_id, published_at):
    """A published version's plan, once per process (keyed like batch_render's compiled)."""
    return _button_plan(TemplateVersion.objects.get(pk=version_id).rcs_content or {})


def _button_plan(stored):
    plan = []
    for path, suggestion in walk.iter_suggestions(stored):
        action = suggestion.get("action")
        open_url = action.get("openUrlAction") if isinstance(action, dict) else None
        url = open_url.get("url") if isinstance(open_url, dict) else None
        if isinstance(url, str) and url:
            plan.append((path, suggestion.get("ctaId") or "", compile_content({"url": url})))
    return plan


def _render(compiled, values):
    try:
        return compiled.render(values or {})["url"]
    except VariableError:
        return None


def _url_at(data, path):
    for part in (*path, "action", "openUrlAction", "url"):
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data if isinstance(data, str) else None


def _replace(data, path, url):
    """A copy of data with the value at path set to url; copies only the path."""
    if not path:
        return url
    head, rest = path[0], path[1:]
    try:
        inner = data[head]
    except (KeyError, IndexError, TypeError):
        return data
    copy = list(data) if isinstance(data, list) else dict(data)
    copy[head] = _replace(inner, rest, url)
    return copy
