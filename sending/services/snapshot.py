"""Snapshot an audience into a dispatch's Message rows, set-based, then queue their batches.

On PostgreSQL one `INSERT ... SELECT ... ON CONFLICT DO NOTHING` writes every row, the
variables filled in SQL from contact fields and attributes; SQLite gets the same rows from
an ORM loop. Messages are unique per (dispatch, contact): a second snapshot adds nothing and
queues nothing. Jobs carry batches of BATCH_SIZE message ids (sending.tasks.send_batch).
"""

import hashlib
import math
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

import jobs
from audience.models import CAPABILITY_MAX_AGE
from messaging.providers import get_provider
from messaging.providers.normalized import Channel
from sending.models import Message

# Message ids per job: few enough jobs for RQ (1 M messages = 2,000 jobs), small enough that a
# killed worker's batch is quick to redo.
BATCH_SIZE = 500
CONTACT_FIELDS = ("first_name", "last_name", "email", "phone", "language")
SEND_BATCH = "sending.tasks.send_batch"
# A snapshot of this many messages or more refreshes the table's statistics at once. Until
# autovacuum does, PostgreSQL believes a new dispatch has a handful of messages and claims a
# batch by scanning all of them through the (dispatch, status) index instead of fetching its
# 500 ids: 1,000,000 messages made each claim take 1–2 s of a core (measured), and the
# fan-out rose from ~350 to ~900 messages/s once the statistics were fresh.
ANALYZE_AFTER = 10_000


class SnapshotError(ValueError):
    """The variables spec cannot be applied: `field` names what is at fault ("variables" or
    "variables.prenom"), the message (in the active language) says what to change."""

    def __init__(self, message, field="variables"):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class FirstShare:
    """Rollout: stage 0 is exactly `share` (0–1) of the audience, rounded half up and at least
    one contact; those whose bucket for seed is lowest (ties by id), so the same seed and
    audience give the same contacts. The rest is stage 1."""

    share: float
    seed: str

    def size(self, audience):
        """How many of an audience of `audience` contacts are in the first share."""
        if audience < 1 or self.share <= 0:
            return 0
        # In decimal, as the SQL does: 29 % of 50 is 14.5, rounded up to 15 (in binary
        # floating point 0.29 × 50 is 14.4999…).
        exact = Decimal(repr(self.share)) * audience
        return min(audience, max(1, math.floor(exact + Decimal("0.5"))))

    def first(self, contact_ids):
        """The ids among contact_ids (the whole audience) in the first share."""
        ranked = sorted(set(contact_ids), key=lambda pk: (bucket(self.seed, pk), pk))
        return set(ranked[: self.size(len(ranked))])


def bucket(seed, contact_id):
    """A stable number in [0, 1) per (seed, contact): the same in Python and in SQL."""
    digest = hashlib.md5(f"{seed}:{contact_id}".encode(), usedforsecurity=False).hexdigest()
    return int(digest[:8], 16) / 2**32


def check_variables_spec(spec):
    """Raise SnapshotError unless spec maps names to {field|attribute|value[, default]}."""
    if not isinstance(spec, dict):
        raise SnapshotError(
            _(
                "Give the variables as an object: each name with its source, "
                '{"field": …}, {"attribute": …} or {"value": …}.'
            )
        )
    for name, rule in spec.items():
        at = f"variables.{name}"
        if not isinstance(rule, dict):
            raise SnapshotError(
                _("Give “%(name)s” as an object with a field, an attribute or a value.")
                % {"name": name},
                at,
            )
        sources = [key for key in ("field", "attribute", "value") if key in rule]
        if len(sources) != 1:
            raise SnapshotError(
                _("Give “%(name)s” exactly one source: field, attribute or value.")
                % {"name": name},
                at,
            )
        unknown = set(rule) - {"field", "attribute", "value", "default"}
        if unknown:
            raise SnapshotError(
                _(
                    "“%(name)s” has keys that are not part of the API: %(keys)s (use field, "
                    "attribute or value, and default)."
                )
                % {"name": name, "keys": ", ".join(sorted(unknown))},
                at,
            )
        if "field" in rule and rule["field"] not in CONTACT_FIELDS:
            raise SnapshotError(
                _(
                    "“%(field)s” is not a contact field (%(fields)s); use attribute for "
                    "the contact's other attributes."
                )
                % {"field": rule["field"], "fields": ", ".join(CONTACT_FIELDS)},
                f"{at}.field",
            )
        for key in ("attribute", "value", "default"):
            if key in rule and rule[key] is not None and not isinstance(rule[key], str):
                raise SnapshotError(
                    _("Give the %(key)s of “%(name)s” as text (a JSON string).")
                    % {"key": key, "name": name},
                    f"{at}.{key}",
                )


def fill_variables(spec, contact):
    """The variables of one contact (a dict with the contact fields and `attributes`)."""
    values = {}
    for name, rule in spec.items():
        if "value" in rule:
            value = rule["value"]
        elif "field" in rule:
            value = contact[rule["field"]]
        else:
            value = (contact["attributes"] or {}).get(rule["attribute"])
        if value is None or str(value) == "":
            value = rule.get("default") or ""
        values[name] = str(value)
    return values


def snapshot_audience(dispatch, contacts, variables_spec, *, stage_of=None):
    """Write one queued Message per contact of `contacts` (a Contact queryset) into dispatch,
    then queue the batches of its released stages; return the ids of the new messages."""
    check_variables_spec(variables_spec)
    contacts = contacts.filter(test_mode=dispatch.test_mode).order_by()
    rcs_possible = Channel.RCS in get_provider(dispatch.provider).channels
    with transaction.atomic():
        if connection.vendor == "postgresql":
            rows = _insert_select(dispatch, contacts, variables_spec, stage_of, rcs_possible)
            if len(rows) >= ANALYZE_AFTER:
                _analyze()
        else:
            rows = _insert_orm(dispatch, contacts, variables_spec, stage_of, rcs_possible)
        released = sorted(pk for pk, stage in rows if stage <= dispatch.released_stage)
        enqueue_batches(dispatch.pk, released)
    return [pk for pk, _stage in rows]


def _analyze():
    # Inside the snapshot's transaction: ANALYZE counts the rows it inserted as live, and the
    # statistics commit with them.
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Message._meta.db_table}")


def enqueue_batches(dispatch_id, message_ids, *, delay=None):
    """Queue send_batch jobs of BATCH_SIZE ids each (one round trip, after commit)."""
    ids = list(message_ids)
    chunks = [ids[start : start + BATCH_SIZE] for start in range(0, len(ids), BATCH_SIZE)]
    jobs.enqueue_many(SEND_BATCH, [(dispatch_id, chunk) for chunk in chunks], delay=delay)
    return len(chunks)


def _intended_sql(dispatch, rcs_possible):
    if dispatch.policy == Message.Policy.SMS_ONLY or not rcs_possible:
        return "'sms'", []
    # As routing.route: known not capable in the last 31 days goes SMS, unknown goes RCS.
    return (
        "CASE WHEN c.rcs_capable = false AND c.rcs_checked_at >= %s THEN 'sms' ELSE 'rcs' END",
        [timezone.now() - CAPABILITY_MAX_AGE],
    )


def _variables_sql(spec):
    parts, params = [], []
    for name, rule in spec.items():
        default = rule.get("default") or ""
        if "value" in rule:
            parts.append("%s, %s::text")
            params += [name, rule["value"] or default]
            continue
        if "field" in rule:
            column = f"c.{connection.ops.quote_name(rule['field'])}"
        else:
            column = "(c.attributes ->> %s)"
            params_column = [rule["attribute"]]
        parts.append(f"%s, COALESCE(NULLIF({column}, ''), %s)")
        params += [name, *([] if "field" in rule else params_column), default]
    if not parts:
        return "'{}'::jsonb", []
    return f"jsonb_build_object({', '.join(parts)})", params


def _stage_sql(stage_of):
    if stage_of is None:
        return "0", []
    if stage_of.share <= 0:
        return "1", []
    # FirstShare.first() in SQL, over the rows the WHERE kept: rank them by bucket() (the
    # first 8 hex digits of md5(seed:id) as an integer, which sorts the same), then by id;
    # the first FirstShare.size(N) are stage 0.
    return (
        "CASE WHEN row_number() OVER ("
        "ORDER BY ('x' || substr(md5(%s || ':' || c.id::text), 1, 8))::bit(32)::bigint, c.id"
        ") <= GREATEST(1, floor(%s::numeric * count(*) OVER () + 0.5)) THEN 0 ELSE 1 END",
        [stage_of.seed, Decimal(repr(stage_of.share))],
    )


def _insert_select(dispatch, contacts, spec, stage_of, rcs_possible):
    audience_sql, audience_params = contacts.values("pk").query.sql_with_params()
    variables, variables_params = _variables_sql(spec)
    intended, intended_params = _intended_sql(dispatch, rcs_possible)
    stage, stage_params = _stage_sql(stage_of)
    sql = f"""
        INSERT INTO sending_message (
            public_id, contact_id, template_version_id, dispatch_id, arm, stage, draft_test,
            variables, sms_text, sms_encoding, sms_segments, traffic_type, policy,
            intended_channel, final_channel, status, status_reason, status_detail,
            fallback_reason, rcs_ttl_seconds, provider, test_mode, external_id, source,
            send_tries, created, updated)
        SELECT gen_random_uuid(), c.id, %s, %s, '', {stage}, false,
            {variables}, '', '', 0, %s, %s,
            {intended}, '', 'queued', '', '',
            '', %s, %s, %s, '', %s,
            0, now(), now()
        FROM audience_contact c
        WHERE c.id IN ({audience_sql}) AND c.test_mode = %s
        ON CONFLICT (dispatch_id, contact_id) DO NOTHING
        RETURNING id, stage
    """
    params = [
        dispatch.template_version_id,
        dispatch.pk,
        *stage_params,
        *variables_params,
        dispatch.traffic_type,
        dispatch.policy,
        *intended_params,
        dispatch.rcs_ttl_seconds,
        dispatch.provider,
        dispatch.test_mode,
        Message.Source.CAMPAIGN,
        *audience_params,
        dispatch.test_mode,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _insert_orm(dispatch, contacts, spec, stage_of, rcs_possible):
    """The SQLite way: the same rows, built in Python, a chunk at a time."""
    taken = set(dispatch.messages.values_list("contact_id", flat=True))
    since = timezone.now() - CAPABILITY_MAX_AGE
    fields = ("id", *CONTACT_FIELDS, "attributes", "rcs_capable", "rcs_checked_at")
    audience = list(contacts.values(*fields).iterator(chunk_size=2000))
    # Drawn over the whole audience, those already in the dispatch too, as the SQL does.
    first = stage_of.first(contact["id"] for contact in audience) if stage_of else None
    new = []
    for contact in audience:
        if contact["id"] in taken:
            continue
        known_not_capable = contact["rcs_capable"] is False and (
            contact["rcs_checked_at"] is not None and contact["rcs_checked_at"] >= since
        )
        sms = dispatch.policy == Message.Policy.SMS_ONLY or not rcs_possible or known_not_capable
        new.append(
            Message(
                contact_id=contact["id"],
                template_version_id=dispatch.template_version_id,
                dispatch=dispatch,
                stage=0 if first is None or contact["id"] in first else 1,
                variables=fill_variables(spec, contact),
                traffic_type=dispatch.traffic_type,
                policy=dispatch.policy,
                intended_channel=Channel.SMS if sms else Channel.RCS,
                rcs_ttl_seconds=dispatch.rcs_ttl_seconds,
                provider=dispatch.provider,
                test_mode=dispatch.test_mode,
                source=Message.Source.CAMPAIGN,
            )
        )
    Message.objects.bulk_create(new, batch_size=1000, ignore_conflicts=True)
    rows = dispatch.messages.values_list("pk", "stage", "contact_id")
    return [(pk, stage) for pk, stage, contact_id in rows if contact_id not in taken]
