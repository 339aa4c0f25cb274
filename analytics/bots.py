"""Who tapped: a person, a link-preview fetcher or crawler (bot), or a suspected bot.

Bots are named by crawlerdetect (a maintained list of crawler user agents) plus the
link-preview fetchers of messaging apps, which it may not all know. A suspected bot is a
client that comes within seconds of delivery looking like software in a data centre (mail
and message security scanners open every link as soon as it arrives): see SUSPECT_SECONDS.
"""

import re
import threading

from crawlerdetect import CrawlerDetect

# Messaging and social apps that fetch a link to draw its preview card. Not their in-app
# browsers (LINE, Snapchat, Pinterest...): a person reading the page there is a click.
PREVIEW_RE = re.compile(
    r"GoogleMessages|Google-PageRenderer|Google-Read-Aloud|WhatsApp/|TelegramBot|"
    r"facebookexternalhit|Facebot|meta-externalagent|Twitterbot|Slackbot|Discordbot|"
    r"LinkedInBot|SkypeUriPreview|Pinterestbot|redditbot|Embedly|Iframely|"
    r"Microsoft Preview|BingPreview|Applebot",
    re.IGNORECASE,
)
# What software on servers sends and a phone's browser never does: a headless browser, a
# desktop Linux user agent (scanners' default), or an HTTP library.
DATACENTRE_RE = re.compile(r"HeadlessChrome|PhantomJS|X11; Linux x86_64|Electron/", re.IGNORECASE)
# A tap this soon after delivery from such a client is kept apart as a suspected bot.
SUSPECT_SECONDS = 10

_local = threading.local()


def _detector():
    # CrawlerDetect keeps the last match on itself: one per thread.
    if not hasattr(_local, "detector"):
        _local.detector = CrawlerDetect()
    return _local.detector


def classify(user_agent, has_accept_language, seconds_after_delivery, method="GET"):
    """Return (kind, agent) as analytics.Click.Kind and Click.Agent values."""
    user_agent = user_agent or ""
    if not user_agent.strip():
        return "bot", "none"
    if PREVIEW_RE.search(user_agent) or method == "HEAD":
        return "bot", "preview"
    if _detector().isCrawler(user_agent):
        return "bot", "crawler"
    looks_hosted = not has_accept_language or DATACENTRE_RE.search(user_agent) is not None
    if looks_hosted:
        soon = seconds_after_delivery is not None and seconds_after_delivery < SUSPECT_SECONDS
        return ("suspected_bot" if soon else "human"), "datacentre"
    return "human", "browser"
