"""Properties of the proposed SMS fallback over generated messages (hypothesis)."""

from django.conf import settings as django_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from editor.fallback import propose_fallback
from editor.models import Brand, MessageTemplate
from editor.sms_text import with_stop_mention
from messaging import links, sms
from messaging.content import iter_suggestions, parse_content
from messaging.variables import compile_text
from messaging.walk import iter_suggestions as iter_suggestion_slots

WORDS = [
    "soldes",
    "-40 %",
    "été",
    "fête",
    "C’est",
    "{{ prenom }}",
    "offre",
    "livraison",
    "50 €",
    "🎉",
    "☀️",
    "tout",
    "Αθήνα",
    "«",
    "»",
    "demain",
]
ENDINGS = [".", " !", "?", "", "…"]
URLS = [
    "https://shop.example/",
    "https://shop.example/soldes",
    "https://shop.example/soldes/femme",
    "https://shop.example/soldes/homme?x=1",
    "https://autre.example/a/{{ prenom }}",
]
LABELS = ["Voir", "Tout voir", "Femme", "Homme", "See all", "Go"]

sentence = st.builds(
    lambda words, end: " ".join(words) + end,
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=12),
    st.sampled_from(ENDINGS),
)
paragraph = st.lists(
    st.tuples(sentence, st.sampled_from([" ", "\n", "\n\n"])), min_size=1, max_size=6
).map(lambda parts: "".join(text + after for text, after in parts).strip())
button = st.builds(
    lambda label, url: {"action": {"text": label, "openUrlAction": {"url": url}}},
    st.sampled_from(LABELS),
    st.sampled_from(URLS),
)
reply = st.builds(lambda: {"reply": {"text": "Se désabonner", "postbackData": "STOP"}})
buttons = st.lists(st.one_of(button, reply), max_size=4)


def _card(title, description, suggestions):
    content = {"title": title[:200], "description": description[:2000], "suggestions": suggestions}
    return {key: value for key, value in content.items() if value}


card = st.builds(_card, st.one_of(st.just(""), sentence), paragraph, buttons)
text_message = st.builds(
    lambda text, chips: {"text": text, "suggestions": chips}, paragraph, buttons
)
standalone = st.builds(
    lambda card: {
        "richCard": {"standaloneCard": {"cardOrientation": "VERTICAL", "cardContent": card}}
    },
    card.filter(lambda card: card.get("title") or card.get("description")),
)
carousel = st.builds(
    lambda cards: {"richCard": {"carouselCard": {"cardWidth": "MEDIUM", "cardContents": cards}}},
    st.lists(card, min_size=2, max_size=4),
)
brands = st.builds(
    lambda sender: Brand(name="Maison Relais", sms_sender_id=sender, stop_mention="STOP au 36111"),
    st.sampled_from(["", "MAISONREL"]),
)
traffic_types = st.sampled_from(list(MessageTemplate.TrafficType))
samples = st.sampled_from(["Marie", "Léa-Chloé", "Zoë 🌸", "X" * 90])


def as_sent(text, brand, traffic_type, values):
    sent = compile_text(with_stop_mention(text, brand, traffic_type)).render(values)
    # Links go out as tracked links, and are counted as those.
    return links.with_sample_links(sent, django_settings.LINK_BASE_URL)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    content=st.one_of(text_message, standalone, carousel),
    brand=brands,
    traffic_type=traffic_types,
    prenom=samples,
)
def test_proposal_never_costs_more_than_it_claims_and_carries_its_link(
    content, brand, traffic_type, prenom
):
    for number, suggestion in enumerate(_suggestions(content)):
        suggestion["ctaId"] = f"cta_{number:06d}"
    values = {"prenom": prenom}
    proposal = propose_fallback(content, brand, traffic_type, values=values)

    analysis = sms.analyze(as_sent(proposal.text, brand, traffic_type, values))
    assert (analysis.segments, analysis.encoding) == (proposal.segments, proposal.encoding)
    variant = proposal.emoji_free
    if proposal.fits:
        # One segment as written, or one segment once the offered emoji are gone.
        best = variant.segments if variant is not None else proposal.segments
        assert best == 1
    if variant is not None:
        lean = sms.analyze(as_sent(variant.text, brand, traffic_type, values))
        assert (lean.encoding, lean.segments) == (variant.encoding, variant.segments)
        assert lean.segments < proposal.segments

    urls = [ref.url for ref in _links(content)]
    if urls:
        assert proposal.link in urls
        assert proposal.link in proposal.text
        if variant is not None:
            assert proposal.link in variant.text
    # Every title of a card survives, whatever was left out.
    for card in _cards(content):
        title = " ".join(card.get("title", "").split()).rstrip(".!?:;,… ")
        assert title in proposal.text


def _suggestions(content):
    return [suggestion for _path, suggestion in iter_suggestion_slots(content)]


def _links(content):
    return [ref for ref in iter_suggestions(parse_content(content)) if ref.url]


def _cards(content):
    rich = content.get("richCard", {})
    if "standaloneCard" in rich:
        return [rich["standaloneCard"]["cardContent"]]
    return rich.get("carouselCard", {}).get("cardContents", [])
