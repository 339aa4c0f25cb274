import gettext
from pathlib import Path

import pytest
from django.utils import translation

FRENCH_CATALOGUE = Path(__file__).resolve().parents[2] / "locale/fr/LC_MESSAGES/django.mo"


@pytest.mark.django_db
def test_login_page_speaks_french_by_default(client):
    body = client.get("/accounts/login/").content.decode()
    assert "Connexion" in body
    assert 'lang="fr"' in body


@pytest.mark.django_db
def test_login_page_speaks_english_when_asked(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    body = client.get("/accounts/login/").content.decode()
    assert "Sign in" in body
    assert 'lang="en"' in body


def french_msgids():
    """Every string of the French catalogue, as its lookup key (with context and plural index)."""
    with FRENCH_CATALOGUE.open("rb") as mo:
        catalog = gettext.GNUTranslations(mo)._catalog
    # A plural string has one key per form, (msgid, 0), (msgid, 1), ...; the header has "".
    return [key for key in catalog if key != "" and not (isinstance(key, tuple) and key[1])]


def seen_and_expected(key):
    """What an English user sees for the catalogue key, and what they should see."""
    plural = "⟨plural⟩"
    if isinstance(key, tuple):
        msgid, _index = key
        context, _, msgid = msgid.rpartition("\x04")
        if context:
            seen = [translation.npgettext(context, msgid, plural, n) for n in (1, 5)]
        else:
            seen = [translation.ngettext(msgid, plural, n) for n in (1, 5)]
        return seen, [msgid, plural]
    context, _, msgid = key.rpartition("\x04")
    seen = translation.pgettext(context, msgid) if context else translation.gettext(msgid)
    return seen, msgid


def test_english_users_never_get_french_strings(settings):
    # Django gives a language the default language's catalogue as a fallback, except English:
    # our msgids are the English text, so English needs no catalogue and must never get French.
    settings.LANGUAGE_CODE = "fr"
    settings.LOCALE_PATHS = [*settings.LOCALE_PATHS]  # builds the catalogues again for this default
    keys = french_msgids()
    assert len(keys) > 100
    with translation.override("en"):
        pairs = {key: seen_and_expected(key) for key in keys}
    not_english = {key: seen for key, (seen, expected) in pairs.items() if seen != expected}
    assert not_english == {}
