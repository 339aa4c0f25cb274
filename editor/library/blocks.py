"""Small builders for the library's content JSON, so the data files read like the messages."""

# A media file of the library, replaced by the imported image's public URL when used.
LIBRARY_IMAGE_PREFIX = "library:"


def open_url(label, url):
    return {"action": {"text": label, "openUrlAction": {"url": url}}}


def dial(label, phone_number):
    return {"action": {"text": label, "dialAction": {"phoneNumber": phone_number}}}


def view_location(label, query):
    return {"action": {"text": label, "viewLocationAction": {"query": query}}}


def calendar(label, *, start, end, title, description=""):
    event = {"startTime": start, "endTime": end, "title": title}
    if description:
        event["description"] = description
    return {"action": {"text": label, "createCalendarEventAction": event}}


def reply(label, postback_data):
    return {"reply": {"text": label, "postbackData": postback_data}}


def card(*, title="", description="", image=None, height="MEDIUM", buttons=()):
    content = {}
    if image:
        content["media"] = {
            "height": height,
            "contentInfo": {"fileUrl": LIBRARY_IMAGE_PREFIX + image},
        }
    if title:
        content["title"] = title
    if description:
        content["description"] = description
    if buttons:
        content["suggestions"] = list(buttons)
    return content


def standalone(card_content, *, chips=()):
    data = {
        "richCard": {"standaloneCard": {"cardOrientation": "VERTICAL", "cardContent": card_content}}
    }
    if chips:
        data["suggestions"] = list(chips)
    return data


def carousel(cards, *, width="MEDIUM", chips=()):
    data = {"richCard": {"carouselCard": {"cardWidth": width, "cardContents": list(cards)}}}
    if chips:
        data["suggestions"] = list(chips)
    return data


def text(body, *, chips=()):
    data = {"text": body}
    if chips:
        data["suggestions"] = list(chips)
    return data


def variable(name, sample, default=None):
    """A declared variable; without a default it is required."""
    return {"name": name, "default": default, "sample": sample}
