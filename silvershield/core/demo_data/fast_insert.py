"""Inserting many rows fast: one prepared INSERT run with executemany, primary keys assigned up front.

Django's bulk_create compiles a new statement for every few dozen rows (SQLite allows 999 parameters per
statement) and prepares each value through the full field machinery; for a million leads that alone
takes most of an hour. Here each column gets one cheap converter, chosen once, and the database sees a
single statement. Primary keys are taken from max(id) + 1 inside the caller's transaction (the seed is
the only writer), and `reset_sequences` realigns PostgreSQL's sequences afterwards; SQLite's
AUTOINCREMENT counter follows explicit ids by itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max

from silvershield.core.crypto import EncryptedTextField

Converter = Callable[[Any], Any] | None


def _text(value: Any) -> Any:
    # TextChoices members become their plain value; the drivers want str, not a str subclass.
    return None if value is None else str(value)


def _converter(field: models.Field) -> Converter:
    ops = connection.ops
    if isinstance(field, (EncryptedTextField, models.JSONField)):
        return lambda value: field.get_db_prep_save(value, connection)
    kind = field.get_internal_type()
    if kind == "DateTimeField":
        return ops.adapt_datetimefield_value
    if kind == "DateField":
        return ops.adapt_datefield_value
    if kind == "DecimalField":
        return lambda value: ops.adapt_decimalfield_value(value, field.max_digits, field.decimal_places)
    if kind in {"CharField", "TextField"}:
        return _text
    return None


def assign_ids(model: type[models.Model], objects: Sequence[models.Model]) -> None:
    start = (model._default_manager.aggregate(m=Max("pk"))["m"] or 0) + 1
    for offset, obj in enumerate(objects):
        obj.pk = start + offset


def insert_objects(model: type[models.Model], objects: Sequence[models.Model]) -> None:
    """Insert `objects` (primary keys already set, see assign_ids) with one executemany."""
    if not objects:
        return
    fields = model._meta.concrete_fields
    converters = [_converter(f) for f in fields]
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    attnames = [f.attname for f in fields]
    rows = [
        [
            conv(getattr(obj, name)) if conv is not None else getattr(obj, name)
            for name, conv in zip(attnames, converters, strict=True)
        ]
        for obj in objects
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def reset_sequences(models_: Sequence[type[models.Model]]) -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), list(models_))
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
