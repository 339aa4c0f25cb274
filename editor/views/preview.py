"""htmx fragments of the editor: the phone previews, the canvas, the SMS fallback helpers."""

from dataclasses import dataclass, field

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from editor.canvas import build_canvas
from editor.fallback import proposal_json, proposal_notes
from editor.preview import preview_template
from editor.services import propose_fallback, publish_problems, stop_mention_to_add
from editor.sms_text import (
    EmojiFreeVariant,
    emoji_free_variant,
    safe_sample_values,
    without_emoji,
)
from editor.views.state import apply_state, form_issues, get_template, publish_issues, read_state
from messaging import sms
from messaging.content_errors import ContentError
from messaging.variables import find_in_content, find_variables


@dataclass
class SmsPanel:
    """The SMS fallback as sent: its cost, what forces UCS-2, and the STOP mention added."""

    rcs_only: bool = False
    analysis: sms.SmsAnalysis | None = None
    explanation: str = ""
    # Runs of the text as sent: (text, kind) with kind "" (plain), "ucs2" or "stop".
    parts: list[tuple[str, str]] = field(default_factory=list)
    lookalikes: int = 0
    stop_mention: str = ""
    sender: str = ""
    # The brand's segment limit: a send over it is refused (messaging.sms_cap).
    limit: int = 0
    brand: str = ""
    # How "Generate from the RCS content" made this text, while it is unchanged.
    notes: list[str] = field(default_factory=list)
    # The text without emoji, when that saves segments (editor.fallback.emoji_free_variant).
    emoji_free: EmojiFreeVariant | None = None

    @property
    def ucs2(self):
        return self.analysis is not None and self.analysis.encoding == sms.UCS_2

    @property
    def over_limit(self):
        return self.analysis is not None and self.analysis.segments > self.limit


def _runs(kinds, clusters):
    runs = []
    for cluster, kind in zip(clusters, kinds, strict=True):
        if runs and runs[-1][1] == kind:
            runs[-1] = (runs[-1][0] + cluster, kind)
        else:
            runs.append((cluster, kind))
    return runs


def sms_panel(template, preview):
    """Describe the fallback of template as the SMS panel shows it."""
    brand = template.brand
    panel = SmsPanel(
        rcs_only=template.rcs_only,
        sender=brand.sms_sender_id,
        limit=brand.sms_max_segments,
        brand=brand.name,
    )
    if template.rcs_only or preview.sms is None or not template.sms_fallback.strip():
        return panel
    panel.analysis = preview.sms
    panel.explanation = preview.sms_explanation
    clusters = sms.graphemes(preview.sms_text)
    kinds = [""] * len(clusters)
    for index, _cluster in preview.sms.ucs2_characters:
        kinds[index] = "ucs2"
    mention = stop_mention_to_add(template.sms_fallback, template.brand, template.traffic_type)
    if mention and preview.sms_text.endswith(mention):
        panel.stop_mention = mention
        tail = len(sms.graphemes(mention))
        kinds[len(kinds) - tail :] = ["stop"] * tail
    panel.parts = _runs(kinds, clusters)
    panel.lookalikes = len(sms.to_gsm(template.sms_fallback)[1])
    panel.notes = proposal_notes(template)
    values = safe_sample_values(template)
    panel.emoji_free = emoji_free_variant(
        template.sms_fallback, brand, template.traffic_type, values
    )
    return panel


def preview_context(template, form=None):
    """Everything the preview pane, the SMS panel and the problem summary show for template."""
    preview = preview_template(template)
    problems, content_issues = publish_problems(template)
    issues = publish_issues(problems, content_issues)
    if form is not None:
        issues = form_issues(form) + issues
    return {
        "template": template,
        "preview": preview,
        "issues": issues,
        "sms_panel": sms_panel(template, preview),
        "undeclared": undeclared_variables(template),
    }


def undeclared_variables(template):
    """Names used as {{ name }} in the message or the SMS that no variable declares."""
    declared = {item.get("name") for item in template.variables or [] if isinstance(item, dict)}
    used = find_in_content(template.rcs_content or {}) + find_variables(template.sms_fallback)
    return [name for name in dict.fromkeys(used) if name not in declared]


@require_POST
def template_preview(request, pk):
    """Render the phone previews, the SMS counter and the problems of the posted state."""
    template = get_template(pk)
    form = apply_state(template, read_state(request))
    return render(request, "editor/_preview_response.html", preview_context(template, form))


@require_POST
def template_canvas(request, pk):
    """Render the editable blocks of the posted state (after a block was added or moved)."""
    template = get_template(pk)
    state = read_state(request)
    content = state.get("rcs_content")
    variables = state.get("variables")
    context = {
        "template": template,
        "canvas": build_canvas(content),
        "variables": variables if isinstance(variables, list) else [],
        "read_only": False,
    }
    return render(request, "editor/_canvas_response.html", context)


@require_POST
def fallback_generate(request, pk):
    """Propose an SMS fallback from the posted RCS content, with notes on how it was made."""
    template = get_template(pk)
    apply_state(template, read_state(request))
    try:
        proposal = propose_fallback(template, template.brand, template.traffic_type)
    except ContentError:
        message = _("Fix the problems of the RCS message first: the SMS is made from it.")
        return JsonResponse({"error": message}, status=422)
    if not proposal.text:
        message = _("Write a text or a card first: the SMS is made from it.")
        return JsonResponse({"error": message}, status=422)
    notes = [*proposal.notes, proposal.emoji_free.note] if proposal.emoji_free else proposal.notes
    message = " ".join([_("SMS written from the RCS message."), *notes])
    return JsonResponse({"message": message, **proposal_json(proposal)})


@require_POST
def fallback_to_gsm(request, pk):
    """Replace the look-alike characters of the posted fallback with standard SMS ones."""
    get_template(pk)
    state = read_state(request)
    text = state.get("sms_fallback")
    if not isinstance(text, str):
        return JsonResponse({"error": _("No SMS text was sent.")}, status=400)
    new_text, replacements = sms.to_gsm(text.replace("\r\n", "\n"))
    count = len(replacements)
    message = ngettext("%(count)d character replaced.", "%(count)d characters replaced.", count) % {
        "count": count
    }
    return JsonResponse({"text": new_text, "replaced": count, "message": message})


@require_POST
def fallback_without_emoji(request, pk):
    """Take the emoji out of the posted fallback (look-alikes replaced too), as offered."""
    get_template(pk)
    state = read_state(request)
    text = state.get("sms_fallback")
    if not isinstance(text, str):
        return JsonResponse({"error": _("No SMS text was sent.")}, status=400)
    text = text.replace("\r\n", "\n").strip()
    new_text = without_emoji(text)
    if not new_text:
        return JsonResponse(
            {"error": _("The SMS would be empty without its emoji: write some words first.")},
            status=400,
        )
    return JsonResponse({"text": new_text, "message": _("Emoji removed: Undo puts them back.")})
