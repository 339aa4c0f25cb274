"""Plain factory functions for test data: make_<thing>(**overrides) saves and returns one."""

import itertools

_sequence = itertools.count(1)


def _next():
    return next(_sequence)


# editor


def make_brand(**overrides):
    """A brand able to send promotional SMS (sender ID and STOP mention set)."""
    from editor.models import Brand

    fields = {
        "name": f"Brand {_next()}",
        "colour": "#0F766E",
        "verified": True,
        "sms_sender_id": "MAISONREL",
        "stop_mention": "STOP au 36111",
    }
    fields.update(overrides)
    return Brand.objects.create(**fields)


def make_template(**overrides):
    """A draft promotional card with one button, a fallback and the variable prenom."""
    from editor.models import MessageTemplate

    fields = {
        "name": "Soldes",
        "slug": f"template_{_next()}",
        "category": MessageTemplate.Category.PROMOTION,
        "traffic_type": MessageTemplate.TrafficType.PROMOTION,
        "rcs_content": {
            "richCard": {
                "standaloneCard": {
                    "cardOrientation": "VERTICAL",
                    "cardContent": {
                        "title": "{{ prenom }}, -40 % sur tout",
                        "description": "Seulement ce week-end.",
                        "suggestions": [
                            {
                                "action": {
                                    "text": "Voir les offres",
                                    "openUrlAction": {"url": "https://shop.example/soldes"},
                                },
                                "ctaId": "cta_offres01",
                            }
                        ],
                    },
                }
            }
        },
        "sms_fallback": "{{ prenom }}, -40 % sur tout ce week-end : https://shop.example/soldes",
        "variables": [{"name": "prenom", "default": None, "sample": "Marie"}],
        "language": MessageTemplate.Language.FR,
    }
    fields.update(overrides)
    if "brand" not in fields:
        fields["brand"] = make_brand()
    return MessageTemplate.objects.create(**fields)


def make_published_template(user=None, **overrides):
    """A template published once; returns (template, version)."""
    from editor.services import publish_template

    template = make_template(**overrides)
    version = publish_template(template, user)
    return template, version


def make_seed_template(**overrides):
    """The send API's example template (promo_soldes_v1, two required variables), published;
    returns (template, version)."""
    fields = {
        "slug": "promo_soldes_v1",
        "variables": [
            {"name": "prenom", "default": None, "sample": "Marie"},
            {"name": "duree_offre", "default": None, "sample": "48h"},
        ],
        "sms_fallback": "{{ prenom }}, -40 % pendant {{ duree_offre }} : https://shop.example/soldes",
    }
    fields.update(overrides)
    return make_published_template(**fields)


# accounts (API)


def make_api_key(**overrides):
    """A test-mode API key; returns (api_key, full_key), the full key being the Bearer secret."""
    from api.models import ApiKey

    fields = {"name": f"API key {_next()}", "mode": ApiKey.Mode.TEST}
    fields.update(overrides)
    return ApiKey.create(**fields)


# audience


def make_contact(opted_in=False, test_mode=False, **overrides):
    """A live contact, or a test one with test_mode (a unique French mobile number unless
    given); opted_in adds an opt-in entry."""
    from audience.models import Contact

    fields = {"phone": f"+336{_next():08d}", "test_mode": test_mode}
    fields.update(overrides)
    contact = Contact.objects.create(**fields)
    if opted_in:
        make_consent(contact)
    return contact


def make_consent(contact, **overrides):
    """An opt-in to every channel, collected through a web form."""
    from audience.models import ConsentEntry

    fields = {
        "contact": contact,
        "kind": ConsentEntry.Kind.OPT_IN,
        "channel": ConsentEntry.Scope.ALL,
        "source": ConsentEntry.Source.WEB_FORM,
        "wording": "J'accepte de recevoir les offres de Maison Relais par SMS et RCS.",
    }
    fields.update(overrides)
    return ConsentEntry.objects.create(**fields)


# sending (for the contact page and export)


def make_sent_message(contact, template_version=None, events=(), **overrides):
    """A promotion to contact delivered by RCS from template_version (a new published template
    unless given), with events: (type, fields) pairs."""
    from sending.models import Event, Message

    if template_version is None:
        template_version = make_published_template()[1]
    fields = {
        "contact": contact,
        "template_version": template_version,
        "traffic_type": "PROMOTION",
        "intended_channel": "rcs",
        "final_channel": "rcs",
        "status": "delivered",
        "rcs_ttl_seconds": 3600,
        "provider": "simulator",
        "test_mode": contact.test_mode,
        "variables": {"prenom": contact.first_name or "Marie"},
    }
    fields.update(overrides)
    message = Message.objects.create(**fields)
    for event_type, event_fields in events:
        Event.objects.create(
            message=message,
            provider="simulator",
            provider_event_id=f"event-{_next()}",
            type=event_type,
            **event_fields,
        )
    return message


def make_list(name=None, test_mode=False):
    """A static contact list of one mode."""
    from audience.models import ContactList

    return ContactList.objects.create(name=name or f"List {_next()}", test_mode=test_mode)


def make_segment(rules=None, test_mode=False, **overrides):
    """A segment of one mode; every contact of the mode unless rules are given."""
    from audience.models import Segment

    fields = {"name": f"Segment {_next()}", "test_mode": test_mode}
    if rules is not None:
        fields["rules"] = rules
    fields.update(overrides)
    return Segment.objects.create(**fields)


def make_person(username, *roles, email=""):
    """A user with the given roles (group names) and email."""
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user(username, email, "a-long-passphrase")
    for role in roles:
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


# sending (batches)


def make_dispatch(version, **overrides):
    """A running dispatch of a published version (test mode unless given)."""
    from sending.services import create_dispatch

    overrides.setdefault("test_mode", True)
    return create_dispatch(version, **overrides)


# campaigns


def make_campaign(version=None, audience=None, **overrides):
    """A draft campaign of test data (a fresh published template and an empty list unless
    given); overrides are create_campaign's fields."""
    from campaigns.services import create_campaign

    if version is None:
        _template, version = make_published_template()
    test_mode = overrides.pop("test_mode", True)
    if audience is None:
        audience = make_list(test_mode=test_mode)
    fields = {
        "name": f"Campaign {_next()}",
        "test_mode": test_mode,
        "template_version": version,
        "variables": {"prenom": {"field": "first_name", "default": "client"}},
    }
    key = "segment" if audience.__class__.__name__ == "Segment" else "contact_list"
    fields[key] = audience
    fields.update(overrides)
    return create_campaign(**fields)
