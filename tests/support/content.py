"""Content builders shared by the RCS content tests."""

import pytest

from messaging.content import parse_content
from messaging.content_errors import ContentError

URL = "https://shop.example/soldes"
IMAGE = {"height": "MEDIUM", "contentInfo": {"fileUrl": "https://cdn.example/a.png"}}
THUMBNAILED = {
    "height": "SHORT",
    "contentInfo": {
        "fileUrl": "https://cdn.example/v.mp4",
        "thumbnailUrl": "https://cdn.example/v.jpg",
        "forceRefresh": False,
    },
}


_counter = iter(range(1, 10**6))


def cta():
    return f"cta_{next(_counter):04d}"


def reply(text="Oui", postback=None):
    body = {"text": text}
    if postback is not None:
        body["postbackData"] = postback
    return {"reply": body, "ctaId": cta()}


def action(text="Voir", **fields):
    return {"action": {"text": text, **fields}, "ctaId": cta()}


def link(url, text="Voir"):
    return action(text, openUrlAction={"url": url})


def card(**fields):
    return fields or {"title": "Soldes"}


def standalone(content, orientation="VERTICAL", **extra):
    return {
        "richCard": {
            "standaloneCard": {"cardOrientation": orientation, "cardContent": content, **extra}
        }
    }


def carousel(cards, width="MEDIUM"):
    return {"richCard": {"carouselCard": {"cardWidth": width, "cardContents": cards}}}


def calendar(**fields):
    event = {
        "startTime": "2026-05-01T09:00:00+02:00",
        "endTime": "2026-05-01T10:00:00+02:00",
        "title": "Atelier",
        **fields,
    }
    return action("Ajouter", createCalendarEventAction=event)


def issues(data):
    with pytest.raises(ContentError) as caught:
        parse_content(data)
    return [str(issue) for issue in caught.value.issues]


def issue_at(data, path):
    with pytest.raises(ContentError) as caught:
        parse_content(data)
    found = [issue for issue in caught.value.issues if issue.path == path]
    assert found, [(issue.path, str(issue)) for issue in caught.value.issues]
    return found[0]
