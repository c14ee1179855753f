"""Writes of the channels: each one ends in leads.services.create_lead (or, for the 12315 import, in a
bulk insert that leaves the same audit events), and each is one transaction.
"""

from __future__ import annotations

from functools import lru_cache
from types import SimpleNamespace
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import connection, models, transaction
from django.utils import timezone

from silvershield.core.audit import _plain
from silvershield.core.crypto import EncryptedTextField
from silvershield.core.errors import InvalidInput
from silvershield.core.uploads import store_attachment, validate_upload
from silvershield.core.models import AuditChainHead, AuditEvent, Division, Informant, OrgUnit, Station, User
from silvershield.core.queries import reachable_division_codes
from silvershield.leads.models import Channel, Lead, LeadState
from silvershield.leads.services import _SECRET_FIELDS, complete_lead_fields, create_lead

# Referral letters, inspection photos: documents and images only (checked by core/uploads.py).
ATTACHMENT_KINDS = ("pdf", "image", "docx", "doc", "ofd")


def _check_external_ref(channel: str, ref: str) -> None:
    if ref and Lead.objects.filter(channel=channel, external_ref=ref).exists():
        raise InvalidInput("该编号已登记过，不能重复录入", field="external_ref")


def receive_lead(
    *, actor: User, channel: str, fields: dict[str, Any], attachment: UploadedFile | None = None,
    attachment_description: str = "",
) -> Lead:
    """A lead from the hotline form, an informant, a referral, an assignment, an inspection or a public call."""
    if channel not in Channel.values:
        raise InvalidInput("来源渠道无效", field="channel")
    fields = dict(fields)
    ref = (fields.get("external_ref") or "").strip()
    fields["external_ref"] = ref
    _check_external_ref(channel, ref)
    if channel in (Channel.REFERRAL, Channel.ASSIGNED):
        if not (fields.get("sender") or "").strip():
            raise InvalidInput("请填写移送或交办单位", field="sender")
        due = fields.get("sender_due_date")
        if due and fields.get("received_date") and due < fields["received_date"]:
            raise InvalidInput("办结期限不能早于收到日期", field="sender_due_date")
    if attachment is not None:
        validate_upload(attachment, field="attachment", kinds=ATTACHMENT_KINDS)
    with transaction.atomic():
        lead = create_lead(actor=actor, channel=channel, **fields)
        if attachment is not None:
            store_attachment(lead=lead, uploaded_file=attachment, actor=actor, description=attachment_description)
    return lead


def informant_division(informant: Informant, actor: User) -> str:
    station = informant.station
    if station is not None and station.division_id in reachable_division_codes(actor):
        return station.division_id
    return actor.bureau.division_id


# --- the 12315 import: many leads at once, each with its audit event -------------------------------------


def _reserve_ids(model, count: int) -> list[int]:
    """Primary keys for `count` new rows. PostgreSQL: from the table's sequence (safe under concurrency).
    SQLite: max(id) + 1 onwards — the caller already wrote in this transaction, so it holds SQLite's single
    write lock and nobody else can insert until it commits."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count]
            )
            return [r[0] for r in cursor.fetchall()]
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")
        start = cursor.fetchone()[0] + 1
    return list(range(start, start + count))


def _converter(field):
    ops = connection.ops
    if isinstance(field, (models.JSONField, EncryptedTextField)):
        return lambda value: field.get_db_prep_save(value, connection)
    kind = field.get_internal_type()
    if kind == "DateTimeField":
        return ops.adapt_datetimefield_value
    if kind == "DateField":
        return ops.adapt_datefield_value
    if kind == "DecimalField":
        return lambda value: ops.adapt_decimalfield_value(value, field.max_digits, field.decimal_places)
    if kind in {"CharField", "TextField"}:
        return lambda value: None if value is None else str(value)
    return None


def _insert_rows(model, rows: list[dict[str, Any]], defaults: dict[str, Any]) -> None:
    """One prepared INSERT run with executemany: each column converted once by a converter chosen once.
    Django's bulk_create spends most of its time preparing values field by field; a 12315 file of
    100,000 rows must import within a minute."""
    if not rows:
        return
    fields = model._meta.concrete_fields
    converters = [(f.attname, _converter(f), defaults.get(f.attname)) for f in fields]
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    params = [
        [(conv(row.get(name, default)) if conv else row.get(name, default)) for name, conv, default in converters]
        for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _model_defaults(model) -> dict[str, Any]:
    template = model()
    return {f.attname: getattr(template, f.attname) for f in model._meta.concrete_fields}


def bulk_create_hotline_leads(*, rows: list[dict[str, Any]], bureau: OrgUnit, actor: User | None) -> list[int]:
    """Create 12315 leads from validated import rows, with one chained "create" event each (what
    create_lead writes, without four queries per lead). Must run inside the import's transaction.
    Returns the new leads' ids."""
    assert transaction.get_connection().in_atomic_block
    from silvershield.entities.models import Entity

    # Lock the audit chain first: on SQLite this first write also takes the database's write lock.
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(id=1)
    AuditChainHead.objects.filter(id=1).update(hash=head.hash)
    usccs = {r["party_uscc"] for r in rows if r.get("party_uscc")}
    entities = {}
    if usccs:
        query = Entity.objects.filter(uscc__in=usccs)
        if actor is not None:
            query = query.filter(division_id__in=reachable_division_codes(actor))
        entities = dict(query.values_list("uscc", "pk"))
    now = timezone.now()
    lead_ids = _reserve_ids(Lead, len(rows))
    lead_rows = []
    for pk, row in zip(lead_ids, rows, strict=True):
        # What create_lead adds to every lead: the classifier's category and the duplicate keys.
        data = complete_lead_fields({k: v for k, v in row.items() if k not in {"party_uscc", "division"}})
        data.update(
            id=pk, bureau_id=bureau.pk, division_id=row["division"], channel=Channel.HOTLINE,
            created_by_id=actor.pk if actor else None, created_at=now, updated_at=now,
            party_entity_id=entities.get(row.get("party_uscc")), reporter_is_named=bool(row.get("reporter_name")),
        )
        lead_rows.append(data)
    _insert_rows(Lead, lead_rows, _LEAD_DEFAULTS())
    previous = head.hash
    event_ids = _reserve_ids(AuditEvent, len(rows))
    events = []
    for pk, lead_pk, row in zip(event_ids, lead_ids, rows, strict=True):
        values = {k: v for k, v in row.items() if k != "party_uscc" and v not in ("", None)}
        values["channel"] = Channel.HOTLINE
        event = SimpleNamespace(
            id=pk, at=now, actor_id=actor.pk if actor else None, subject_type="leads.lead", subject_id=lead_pk,
            action=AuditEvent.Action.CREATE.value, transition="", from_state="", to_state=LeadState.RECEIVED.value,
            reason="12315批量导入",
            changes={k: [None, "***" if k in _SECRET_FIELDS else _plain(v)] for k, v in values.items()},
            previous_hash=previous,
        )
        event.hash = AuditEvent.compute_hash(event)  # the model's own hash, over the same content
        previous = event.hash
        events.append(vars(event))
    _insert_rows(AuditEvent, events, {})
    AuditChainHead.objects.filter(id=1).update(hash=previous)
    return lead_ids


@lru_cache(maxsize=1)
def _LEAD_DEFAULTS() -> dict[str, Any]:  # noqa: N802 - a constant computed once
    defaults = _model_defaults(Lead)
    return {k: v for k, v in defaults.items() if k not in {"id", "created_at", "updated_at"}}


# --- the informant network's registry --------------------------------------------------------------------


def save_station(*, actor: User, station: Station | None, data: dict[str, Any]) -> Station:
    from silvershield.core.audit import diff_fields, record_event, snapshot

    if data["division"].code not in reachable_division_codes(actor):
        raise InvalidInput("所属区划不在本局辖区", field="division")
    code = data["code"].strip()
    if Station.objects.filter(code=code).exclude(pk=getattr(station, "pk", None)).exists():
        raise InvalidInput("站点编号已存在", field="code")
    with transaction.atomic():
        if station is None:
            station = Station.objects.create(bureau=data.pop("bureau", None) or actor.bureau, **data)
            record_event(subject=station, actor=actor, action=AuditEvent.Action.CREATE,
                         changes={k: (None, v) for k, v in data.items()})
        else:
            before = snapshot(station, list(data))
            for key, value in data.items():
                setattr(station, key, value)
            station.save()
            changes = diff_fields(before, data)
            if changes:
                record_event(subject=station, actor=actor, action=AuditEvent.Action.UPDATE, changes=changes)
    return station


def save_informant(*, actor: User, informant: Informant | None, data: dict[str, Any]) -> Informant:
    from silvershield.core.audit import diff_fields, record_event, snapshot
    from silvershield.core.identifiers import InvalidIdentifier, validate_phone

    if data.get("phone"):
        try:
            data["phone"] = validate_phone(data["phone"])
        except InvalidIdentifier as exc:
            raise InvalidInput(str(exc), field="phone") from exc
    station = data.get("station")
    if station is not None and not station.bureau.path.startswith(actor.bureau.path):
        raise InvalidInput("站点不在本局辖区", field="station")
    with transaction.atomic():
        if informant is None:
            informant = Informant.objects.create(**data)
            record_event(subject=informant, actor=actor, action=AuditEvent.Action.CREATE,
                         changes={k: (None, "***" if k == "phone" else v) for k, v in data.items()})
        else:
            before = snapshot(informant, list(data))
            for key, value in data.items():
                setattr(informant, key, value)
            informant.save()
            changes = diff_fields(before, data)
            if changes:
                record_event(subject=informant, actor=actor, action=AuditEvent.Action.UPDATE, changes=changes)
    return informant


__all__ = ["Division", "receive_lead", "bulk_create_hotline_leads", "save_station", "save_informant"]
