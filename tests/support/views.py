"""Helpers for view tests: signed-in clients in English, JSON posts, a card with a link button."""

import json

from django.contrib.auth.models import Group, User


def signed_in(client, role="Marketing", username=None):
    """Sign client in as a new user with role, the interface in English; return the user."""
    user = User.objects.create_user(username or f"user_{role.lower()}", "", "a-long-passphrase")
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return user


def post_json(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def card_content(label="Voir les offres", **card):
    """A standalone card with one "open link" button labelled label."""
    return {
        "richCard": {
            "standaloneCard": {
                "cardOrientation": "VERTICAL",
                "cardContent": {
                    "title": "Soldes",
                    **card,
                    "suggestions": [
                        {
                            "action": {
                                "text": label,
                                "openUrlAction": {"url": "https://shop.example/soldes"},
                            },
                            "ctaId": "cta_offres01",
                        }
                    ],
                },
            }
        }
    }
