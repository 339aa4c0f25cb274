"""The tracked-link redirect: /l/<code> → the URL the message carried, with UTM parameters.

It runs on every tap, so it does as little as it can: no session, no user, one read of the
message by primary key, the click appended to a Redis stream (the drainer writes it), 302.
It only ever redirects to a URL kept on the message (Message.links) and only to http(s):
anything else, and any code that does not verify, is a 404.
"""

import functools
import json
import logging
import time
from urllib.parse import parse_qsl, urlencode, urlsplit

import redis
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import Http404, HttpResponseRedirect
from django.utils.text import slugify
from django.views.decorators.http import require_safe

from analytics import clickstream
from campaigns.models import Campaign
from editor.models import TemplateVersion
from messaging import links
from sending.models import Message

logger = logging.getLogger(__name__)

# Kept short in the stream; enough to classify the client.
USER_AGENT_MAX = 400
# Message ids are bigints: a larger number names no message (and would not fit the query).
MAX_ID = 2**63 - 1
_READ = "SELECT {links}, {dispatch}, {version}, {brand} FROM {table} WHERE {pk} = %s".format(
    table=Message._meta.db_table,
    pk=Message._meta.pk.column,
    links=Message._meta.get_field("links").column,
    dispatch=Message._meta.get_field("dispatch").column,
    version=Message._meta.get_field("template_version").column,
    brand=Message._meta.get_field("brand_snapshot").column,
)
# How long the UTM names of a dispatch or template are remembered by a process (seconds).
CONTEXT_SECONDS = 300


@login_not_required
@require_safe
def follow(request, code):
    """Record the tap and send the browser on to the link's target."""
    keys = links.settings_keys()
    found = links.decode_any(code, keys)
    if found is None:
        raise Http404
    number, index = found
    row = _read(number)
    if row is None or not isinstance(row[0], list) or index >= len(row[0]):
        raise Http404
    link = row[0][index]
    target = link.get("url") if isinstance(link, dict) else None
    if not is_safe_target(target):
        raise Http404
    now = time.time()
    click_id = links.click_id(number, index, int(now), keys[0])
    source, campaign = utm_names(row[1], row[2], row[3])
    utm = {
        "utm_source": source,
        "utm_medium": link.get("channel") or "",
        "utm_campaign": campaign,
        "utm_content": link.get("cta") or "",
    }
    _record(request, number, index, now, click_id)
    response = HttpResponseRedirect(with_parameters(target, utm, click_id))
    # Every tap must reach us: no cache may answer the next one.
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _read(number):
    """(links, dispatch id, template version id, brand snapshot) of a message, or None.

    One statement written once, not a queryset built on every tap: on this path the ORM's
    query compilation costs as much as the round trip to PostgreSQL.
    """
    if number > MAX_ID:
        return None
    with connection.cursor() as cursor:
        cursor.execute(_READ, [number])
        row = cursor.fetchone()
    if row is None:
        return None
    links_, dispatch_id, version_id, brand = row
    # JSON columns come back as text on a cursor (Django decodes them in the ORM only).
    return _json(links_), dispatch_id, version_id, _json(brand)


def _json(value):
    return json.loads(value) if isinstance(value, str | bytes) else value


def is_safe_target(url):
    """True for an absolute http(s) URL with a host, nothing a browser could read otherwise."""
    if not isinstance(url, str) or not url:
        return False
    if any(ord(char) < 33 or char == "\\" for char in url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def with_parameters(target, utm, click_id):
    """target with the UTM parameters it lacks and rl_click added; its own query kept as is."""
    parts = urlsplit(target)
    present = {name for name, _value in parse_qsl(parts.query, keep_blank_values=True)}
    # The author's own UTM values win: they were written on purpose.
    added = {name: value for name, value in utm.items() if value and name not in present}
    added["rl_click"] = click_id
    query = "&".join(part for part in (parts.query, urlencode(added)) if part)
    return parts._replace(query=query).geturl()


def utm_names(dispatch_id, version_id, brand_snapshot):
    """(utm_source, utm_campaign): the brand's name and the campaign's (else the template's)."""
    if dispatch_id is None and version_id is None:
        return _brand_name(brand_snapshot), ""
    return _context(dispatch_id, version_id, int(time.monotonic() // CONTEXT_SECONDS))


@functools.lru_cache(maxsize=512)
def _context(dispatch_id, version_id, _period):
    version = (
        TemplateVersion.objects.filter(pk=version_id)
        .values_list("brand_snapshot", "template__slug")
        .first()
    )
    brand, template = version if version is not None else (None, "")
    campaign = None
    if dispatch_id is not None:
        campaign = (
            Campaign.objects.filter(arms__dispatch_id=dispatch_id).values_list("name").first()
        )
    return _brand_name(brand), slugify(campaign[0]) if campaign else template


def _brand_name(snapshot):
    name = snapshot.get("name") if isinstance(snapshot, dict) else None
    return name or "relais"


def _record(request, number, index, now, click_id):
    fields = {
        "m": number,
        "i": index,
        "t": f"{now:.3f}",
        "ua": request.headers.get("User-Agent", "")[:USER_AGENT_MAX],
        "al": "1" if request.headers.get("Accept-Language") else "",
        "hm": request.method,
        "c": click_id,
    }
    try:
        clickstream.append(fields)
    except redis.RedisError:
        # The person still gets the page; the click is lost, and the log says so.
        logger.exception("tracked link %s/%s: click not recorded", number, index)
