"""Reproducible random draws over an audience: holdout and experiment arm (the rollout stage
ranks the audience by the same bucket: sending.services.snapshot.FirstShare).

Every draw is sending.services.snapshot.bucket(seed, contact id), a stable number in [0, 1):
the same in Python and in SQL, so a campaign's draws are the same at review, at launch and
when someone re-runs them to check. Each draw has its own seed (campaign seed + purpose), so
being in the holdout says nothing about the arm or the stage.
"""

import itertools

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.db.models.lookups import GreaterThanOrEqual, LessThan

from sending.services.snapshot import bucket

# The SQL twin of bucket(): the first 8 hex digits of md5(seed:id) as a fraction of 2^32.
_BUCKET_SQL = (
    "(('x' || substr(md5(%s || ':' || {table}.id::text), 1, 8))::bit(32)::bigint / 4294967296.0)"
)


_names = itertools.count()
# A condition no contact meets (every row has a primary key).
NOBODY = Q(pk__isnull=True)


def draw_seed(campaign, purpose):
    return f"{campaign.seed}:{purpose}"


def below(contacts, seed, share):
    """The contacts of the queryset whose bucket for seed is below share (0–1)."""
    return _split(contacts, seed, share, inside=True)


def at_or_above(contacts, seed, share):
    """The complement of below()."""
    return _split(contacts, seed, share, inside=False)


def _split(contacts, seed, share, *, inside):
    if share <= 0:
        return contacts if not inside else contacts.none()
    if share >= 1:
        return contacts if inside else contacts.none()
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(contacts.model._meta.db_table)
        # One name per draw: a draw within a draw (a content test's arms within its test
        # share) annotates twice.
        name = f"_draw_{next(_names)}"
        drawn = contacts.alias(**{name: RawSQL(_BUCKET_SQL.format(table=table), (seed,))})
        return drawn.filter(**{f"{name}__lt" if inside else f"{name}__gte": share})
    # SQLite (tests, development): the same draw in Python over the ids.
    ids = [
        pk
        for pk in contacts.order_by().values_list("pk", flat=True)
        if (bucket(seed, pk) < share) == inside
    ]
    return contacts.model.objects.filter(pk__in=ids)


def draw_condition(contacts, seed, share, *, inside=True):
    """The draw of below() (inside) or at_or_above() as a condition on the contacts' rows, to
    combine with others in filter() or in an aggregate's filter= (one pass over the rows).
    On SQLite it names the ids of `contacts` drawn, so it only holds within that queryset."""
    if share <= 0:
        return Q() if not inside else NOBODY
    if share >= 1:
        return Q() if inside else NOBODY
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(contacts.model._meta.db_table)
        drawn = RawSQL(_BUCKET_SQL.format(table=table), (seed,))
        return Q(LessThan(drawn, share) if inside else GreaterThanOrEqual(drawn, share))
    ids = [
        pk
        for pk in contacts.order_by().values_list("pk", flat=True)
        if (bucket(seed, pk) < share) == inside
    ]
    return Q(pk__in=ids)
