"""Pydantic schema of an RCS message, shaped like Google RBM's contentMessage, with its limits."""

import copy
import json
import secrets
from dataclasses import dataclass
from typing import Annotated, Literal

from django.utils.translation import gettext as _
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)
from pydantic.alias_generators import to_camel

from messaging import walk
from messaging.content_errors import (
    ContentError,
    issue_from_pydantic,
    location,
    make_issue,
)
from messaging.content_rules import (
    CALENDAR_DESCRIPTION_MAX,
    CALENDAR_TITLE_MAX,
    DESCRIPTION_MAX,
    FALLBACK_URL_MAX,
    LABEL_MAX,
    MESSAGE_BYTES_MAX,
    POSTBACK_MAX,
    TEXT_MAX,
    TITLE_MAX,
    URL_MAX,
    check_media_url,
    check_phone,
    check_timestamp,
    check_url,
    rule_issues,
)

__all__ = [
    "ACTION_KINDS",
    "CTA_ID_PATTERN",
    "RcsContent",
    "SuggestionRef",
    "ensure_cta_ids",
    "first_url",
    "iter_suggestions",
    "suggestion_kind",
    "new_cta_id",
    "parse_content",
    "to_rbm",
    "to_storage",
]

CTA_ID_PATTERN = r"^cta_[a-z0-9]{4,16}$"


Text = Annotated[str, StringConstraints(min_length=1, max_length=TEXT_MAX)]
Title = Annotated[str, StringConstraints(max_length=TITLE_MAX)]
Description = Annotated[str, StringConstraints(max_length=DESCRIPTION_MAX)]
Label = Annotated[str, StringConstraints(min_length=1, max_length=LABEL_MAX)]
Postback = Annotated[str, StringConstraints(max_length=POSTBACK_MAX)]
CalendarTitle = Annotated[str, StringConstraints(min_length=1, max_length=CALENDAR_TITLE_MAX)]
CalendarDescription = Annotated[str, StringConstraints(max_length=CALENDAR_DESCRIPTION_MAX)]
Url = Annotated[str, StringConstraints(max_length=URL_MAX), AfterValidator(check_url)]
# A media file or its thumbnail: an absolute URL, or a reference to our storage (media_refs).
MediaUrl = Annotated[str, StringConstraints(max_length=URL_MAX), AfterValidator(check_media_url)]
FallbackUrl = Annotated[
    str, StringConstraints(max_length=FALLBACK_URL_MAX), AfterValidator(check_url)
]


class _Model(BaseModel):
    # extra="forbid": a misspelt key would otherwise vanish silently and RBM never sees it.
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")


class ContentInfo(_Model):
    file_url: MediaUrl
    thumbnail_url: MediaUrl | None = None
    force_refresh: bool | None = None


class Media(_Model):
    height: Literal["SHORT", "MEDIUM", "TALL"] | None = None
    content_info: ContentInfo


class Reply(_Model):
    text: Label
    postback_data: Postback | None = None


class OpenUrlAction(_Model):
    url: Url
    application: Literal["BROWSER", "WEBVIEW"] | None = None
    webview_view_mode: Literal["FULL", "HALF", "TALL"] | None = None
    description: str | None = None


class DialAction(_Model):
    phone_number: Annotated[str, AfterValidator(check_phone)]


class LatLong(_Model):
    latitude: Annotated[float, Field(ge=-90, le=90, allow_inf_nan=False)]
    longitude: Annotated[float, Field(ge=-180, le=180, allow_inf_nan=False)]


class ViewLocationAction(_Model):
    lat_long: LatLong | None = None
    label: str | None = None
    query: str | None = None


class CreateCalendarEventAction(_Model):
    start_time: Annotated[str, AfterValidator(check_timestamp)]
    end_time: Annotated[str, AfterValidator(check_timestamp)]
    title: CalendarTitle
    description: CalendarDescription | None = None


class ShareLocationAction(_Model):
    pass


class Action(_Model):
    text: Label
    postback_data: Postback | None = None
    fallback_url: FallbackUrl | None = None
    open_url_action: OpenUrlAction | None = None
    dial_action: DialAction | None = None
    view_location_action: ViewLocationAction | None = None
    create_calendar_event_action: CreateCalendarEventAction | None = None
    share_location_action: ShareLocationAction | None = None

    @property
    def kind(self):
        """Our name for what the button does ("open_url", "dial"...)."""
        return suggestion_kind({"action": self.model_dump(by_alias=True, exclude_none=True)})


class Suggestion(_Model):
    reply: Reply | None = None
    action: Action | None = None
    cta_id: Annotated[str, StringConstraints(pattern=CTA_ID_PATTERN)]

    @property
    def body(self):
        """The reply or the action, whichever this suggestion is."""
        return self.reply if self.reply is not None else self.action

    @property
    def kind(self):
        return "reply" if self.reply is not None else self.action.kind


class CardContent(_Model):
    title: Title | None = None
    description: Description | None = None
    media: Media | None = None
    # Counts (≤ 4) are checked in content_rules: a pydantic max_length would skip the items'
    # own checks, and the editor wants every problem at once.
    suggestions: list[Suggestion] | None = None


class StandaloneCard(_Model):
    card_orientation: Literal["VERTICAL", "HORIZONTAL"]
    thumbnail_image_alignment: Literal["LEFT", "RIGHT"] | None = None
    card_content: CardContent


class CarouselCard(_Model):
    card_width: Literal["SMALL", "MEDIUM"]
    card_contents: list[CardContent]


class RichCard(_Model):
    standalone_card: StandaloneCard | None = None
    carousel_card: CarouselCard | None = None


class RcsContent(_Model):
    """One RCS message: a text, a rich card or a media file, plus optional suggestion chips."""

    text: Text | None = None
    rich_card: RichCard | None = None
    content_info: ContentInfo | None = None
    suggestions: list[Suggestion] | None = None

    @model_validator(mode="after")
    def _check_rules(self):
        """Apply the cross-field rules and the size limit, so model_validate alone is safe too."""
        issues = rule_issues(self.to_storage())
        size = self.rbm_size() if not issues else 0
        if size > MESSAGE_BYTES_MAX:
            message = _("the message is %(size)d bytes, the limit is %(limit)d") % {
                "size": size,
                "limit": MESSAGE_BYTES_MAX,
            }
            issues.append(make_issue((), message))
        if issues:
            raise ContentError(issues)
        return self

    def to_storage(self):
        """Return the stored JSON: camelCase keys, no None values, CTA ids kept."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)

    def to_rbm(self):
        """Return RBM contentMessage JSON: CTA ids removed, empty postbackData set to the CTA id."""
        data = self.to_storage()
        for _path, suggestion in walk.iter_suggestions(data):
            cta_id = suggestion.pop("ctaId", None)
            body = suggestion.get("reply") or suggestion.get("action")
            if body is not None and not body.get("postbackData") and cta_id:
                body["postbackData"] = cta_id
        return data

    def rbm_size(self):
        """Size in bytes of to_rbm() as compact UTF-8 JSON, the figure held to MESSAGE_BYTES_MAX."""
        body = json.dumps(self.to_rbm(), ensure_ascii=False, separators=(",", ":"))
        return len(body.encode("utf-8"))


def parse_content(data):
    """Validate stored content JSON into RcsContent; raise ContentError listing every problem."""
    try:
        return RcsContent.model_validate(data)
    except ValidationError as exc:
        issues = []
        rules_checked = False
        for error in exc.errors():
            found = (error.get("ctx") or {}).get("error")
            if isinstance(found, ContentError):
                issues += found.issues
                rules_checked = True
            else:
                issues.append(issue_from_pydantic(error))
        if not rules_checked:
            # A field error stops pydantic before the cross-field rules; run them on the raw
            # JSON so the editor shows every problem at once, not one round trip at a time.
            issues += rule_issues(data)
        raise ContentError(issues) from None


def to_storage(content):
    """Return the stored JSON of `content` (see RcsContent.to_storage)."""
    return content.to_storage()


def to_rbm(content):
    """Return the RBM contentMessage JSON of `content` (see RcsContent.to_rbm)."""
    return content.to_rbm()


@dataclass(frozen=True)
class SuggestionRef:
    """One button or chip of a message, as click tracking and the SMS fallback need it."""

    cta_id: str
    label: str
    kind: str
    url: str | None
    where: str
    path: tuple
    postback_data: str
    fallback_url: str | None = None


def _suggestion_slots(content):
    """Yield (path, Suggestion) in display order: card buttons first, then chips."""
    rich = content.rich_card
    if rich is not None and rich.standalone_card is not None:
        path = ("richCard", "standaloneCard", "cardContent", "suggestions")
        for index, suggestion in enumerate(rich.standalone_card.card_content.suggestions or []):
            yield (*path, index), suggestion
    if rich is not None and rich.carousel_card is not None:
        for card_index, card in enumerate(rich.carousel_card.card_contents):
            path = ("richCard", "carouselCard", "cardContents", card_index, "suggestions")
            for index, suggestion in enumerate(card.suggestions or []):
                yield (*path, index), suggestion
    for index, suggestion in enumerate(content.suggestions or []):
        yield ("suggestions", index), suggestion


# The action object of a suggestion, by RBM key, and our name for what the button does.
ACTION_KINDS = {
    "openUrlAction": "open_url",
    "dialAction": "dial",
    "viewLocationAction": "view_location",
    "createCalendarEventAction": "calendar",
    "shareLocationAction": "share_location",
}


def suggestion_kind(suggestion):
    """Our name for what a suggestion in stored JSON does; lenient, for drafts with mistakes."""
    if not isinstance(suggestion, dict) or "reply" in suggestion:
        return "reply"
    action = suggestion.get("action")
    action = action if isinstance(action, dict) else {}
    return next((kind for key, kind in ACTION_KINDS.items() if key in action), "open_url")


def iter_suggestions(content):
    """List every suggestion of `content` as a SuggestionRef, in display order."""
    refs = []
    for path, suggestion in _suggestion_slots(content):
        action = suggestion.action
        url = None
        if action is not None and action.open_url_action is not None:
            url = action.open_url_action.url
        refs.append(
            SuggestionRef(
                cta_id=suggestion.cta_id,
                label=suggestion.body.text,
                kind=suggestion.kind,
                url=url,
                where=location(path),
                path=path,
                postback_data=suggestion.body.postback_data or suggestion.cta_id,
                fallback_url=action.fallback_url if action is not None else None,
            )
        )
    return refs


def new_cta_id():
    """Return a fresh CTA id such as "cta_3f9a0c1b"."""
    return "cta_" + secrets.token_hex(4)


def ensure_cta_ids(data):
    """Return a copy of content JSON where every suggestion has a ctaId; existing ids are kept."""
    data = copy.deepcopy(data)
    suggestions = [suggestion for _path, suggestion in walk.iter_suggestions(data)]
    taken = {suggestion.get("ctaId") for suggestion in suggestions}
    for suggestion in suggestions:
        if suggestion.get("ctaId"):
            continue
        cta_id = new_cta_id()
        while cta_id in taken:
            cta_id = new_cta_id()
        taken.add(cta_id)
        suggestion["ctaId"] = cta_id
    return data


def first_url(content):
    """Return the URL of the first "open a link" button or chip, or None."""
    for ref in iter_suggestions(content):
        if ref.url:
            return ref.url
    return None
