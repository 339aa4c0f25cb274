"""What the campaign wizard asks the database while a person fills it in: the audiences and
published versions to choose from, an audience's live count, and how many contacts a
variable rule would leave on its default."""

from django.db.models import Q
from django.db.models.fields.json import KeyTextTransform

from audience.models import Contact, ContactList, Segment
from editor.models import TemplateVersion

LIST = "list"
SEGMENT = "segment"
# The contact fields a variable can read (the engine's snapshot reads the same ones).
CONTACT_FIELDS = ("first_name", "last_name", "email", "phone", "language")


def audience_key(kind, pk):
    """The wizard's value for an audience: "list:3" or "segment:7"."""
    return f"{kind}:{pk}"


def parse_audience_key(key):
    """(kind, pk) from "list:3" / "segment:7"; ValueError on anything else."""
    kind, _, pk = (key or "").partition(":")
    if kind not in (LIST, SEGMENT) or not pk.isdigit():
        raise ValueError(key)
    return kind, int(pk)


def audience_choices(test_mode):
    """[(group label, [(key, name), ...]), ...]: the lists and segments of one mode."""
    from django.utils.translation import gettext as _

    lists = [(audience_key(LIST, pk), name) for pk, name in _names(ContactList, test_mode)]
    segments = [(audience_key(SEGMENT, pk), name) for pk, name in _names(Segment, test_mode)]
    return [(_("Lists"), lists), (_("Segments"), segments)]


def _names(model, test_mode):
    return model.objects.filter(test_mode=test_mode).order_by("name").values_list("pk", "name")


def audience_object(key, test_mode):
    """The ContactList or Segment a key names in that mode, or None."""
    try:
        kind, pk = parse_audience_key(key)
    except ValueError:
        return None
    model = ContactList if kind == LIST else Segment
    return model.objects.filter(pk=pk, test_mode=test_mode).first()


def audience_contacts(audience):
    """The contacts of a list or a segment (a lazy QuerySet of that mode)."""
    if isinstance(audience, Segment):
        return audience.contacts()
    return Contact.objects.in_mode(audience.test_mode).filter(memberships__contact_list=audience)


def published_versions():
    """The published versions to choose from, newest template first then newest version."""
    return TemplateVersion.objects.select_related("template").order_by("template__name", "-number")


def default_counts(contacts, variables):
    """{name: contacts that would get the default} for each field/attribute rule."""
    counts = {}
    for name, rule in variables.items():
        if "field" in rule:
            counts[name] = contacts.filter(**{rule["field"]: ""}).count()
        elif "attribute" in rule:
            # A missing key reads as NULL; the key is passed whole (it may hold "__").
            empty = contacts.alias(typed=KeyTextTransform(rule["attribute"], "attributes"))
            counts[name] = empty.filter(Q(typed__isnull=True) | Q(typed="")).count()
    return counts
