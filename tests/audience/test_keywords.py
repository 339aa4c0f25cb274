"""The STOP, START and HELP keywords, read the way French customers write them."""

import pytest

from audience import services
from audience.keywords import Keyword, normalize_keyword, recognise

# Each of these, sent in reply to a promotion, must opt the person out.
OPTS_OUT = [
    # Recognised before the keyword rule.
    "STOP",
    "Stop.",
    "ARRÊT",
    "stop sms",
    "désabonner",
    "UNSUBSCRIBE",
    "Se désabonner",
    "« STOP »",
    # Missed before: the opt-out was lost.
    "stop merci",
    "Stop svp",
    "Arrêter",
    "STOPPER",
    "STOP 36111",
    "Stop SMS svp",
    "S T O P",
    "st0p",
    # The STOP mention as printed, glued, spelt out, shouted, repeated.
    "STOP au 36111",
    "STOP36111",
    "s.t.o.p",
    "5TOP",
    "STOOOP !!!",
    "stop stop stop",
    "ＳＴＯＰ",
    # Politeness, requests and sign-offs around the keyword.
    "Stop s'il vous plaît",
    "stop stp",
    "Stop please",
    "Stop, thanks",
    "Bonjour, stop",
    "Merci de me désinscrire",
    "Je veux me désabonner",
    "J'arrête",
    "Stop les pubs merci",
    "Stop à la pub",
    "Arrêtez de m'envoyer des SMS",
    "Stop. Cordialement, Jean-Pierre Martin",
    "Bonjour, je souhaite me désabonner de vos SMS svp. Merci, cordialement, Jean Dupont",
    # A STOP first, then the reason, after a comma, a full stop or an exclamation mark.
    "stop, la promo est nulle",
    "STOP ! Vous m'envoyez trop de messages",
    "Bonjour, stop. Je ne suis plus client depuis longtemps",
    "Désabonnez-moi svp; je déménage",
]

# Ordinary sentences that merely contain a STOP word, and other replies: no opt-out.
STAYS_SUBSCRIBED = [
    "",
    "ne stoppez pas ma commande",
    "Ne stoppez pas ma commande, merci",
    "Stop au gaspillage, je trie mes déchets",
    "Je n'ai pas dit stop, au contraire !",
    "stop au gaspillage !",
    "Stopper la livraison ?",
    "Arrêtez la livraison",
    "STOP ou encore",
    "Je n'ai pas dit stop",
    "Vous arrêtez quand les soldes ?",
    "top",
    "Oui",
    "Merci",
    "36111",
    # CANCEL is an opt-out word in the US; a French customer means an order.
    "cancel",
    "START",
    "AIDE",
]


@pytest.mark.parametrize("text", OPTS_OUT)
def test_these_replies_opt_out(text):
    assert services.is_unsubscribe(text)


@pytest.mark.parametrize("text", STAYS_SUBSCRIBED)
def test_these_replies_do_not_opt_out(text):
    assert not services.is_unsubscribe(text)


@pytest.mark.parametrize(
    "text",
    ["START", "start", "Start svp", "UNSTOP", "Réabonner", "me réabonner", "START 36111"],
)
def test_start_words(text):
    assert recognise(text) is Keyword.START


@pytest.mark.parametrize("text", ["AIDE", "aide", "Help", "INFO", "infos ?", "Aidez-moi svp"])
def test_help_words(text):
    assert recognise(text) is Keyword.HELP


@pytest.mark.parametrize(
    "text", ["Reprendre", "Oui", "Info livraison ?", "start stop", "j'ai besoin d'aide svp"]
)
def test_no_keyword(text):
    assert recognise(text) is None


def test_the_unsubscribe_button_is_stop_whatever_its_label():
    assert recognise("Je ne veux plus", postback="STOP") is Keyword.STOP
    assert recognise("Voir", postback="cta_offres01") is None


@pytest.mark.parametrize(
    ("text", "normalized"),
    [
        (" Arrêt ! ", "ARRET"),
        ("S T 0 P au 36111", "STOP AU 36111"),
        ("st0p36111", "STOP 36111"),
        ("s'il vous plaît", "S IL VOUS PLAIT"),
    ],
)
def test_normalize_keyword(text, normalized):
    assert normalize_keyword(text) == normalized


def test_a_reply_far_longer_than_a_keyword_is_not_read():
    assert recognise("STOP " + "svp " * 100) is None


def test_only_stop_is_read_from_the_first_clause():
    # A refusal followed by its reason still refuses; START and HELP need a clear request.
    assert recognise("Stop, la promo est nulle") is Keyword.STOP
    assert recognise("Start, je ne sais pas ce que c'est") is None
    assert recognise("Aide, ma commande n'est pas arrivée") is None
