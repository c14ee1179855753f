"""Small helpers for the few hot paths that write their own SQL instead of going through the ORM's
compiler (lead intake: the duplicate scan, entity linking, the two inserts). Everything else uses the ORM."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg
from django.db import models


def param_marks(values: Sequence[Any]) -> str:
    """The parameter marks "%s, %s, %s" of an IN (…) list of these values."""
    return ", ".join(["%s"] * len(values))


@contextmanager
def prepared_cursor(using: str = "default") -> Iterator[Any]:
    """A cursor for statements every received lead runs whose best plan does not depend on how big the
    tables are (core.audit.create_with_event, entity linking, reading the shown duplicates). On PostgreSQL
    they are bound on the server and prepared on the connection at first use, so PostgreSQL parses and
    plans each once per connection instead of on every lead: database CPU per lead 2.3–2.5 → 1.9 ms. Not
    for a statement whose best plan changes as a table grows (the duplicate scan): a prepared plan stays
    for the connection's life. It is Django's cursor wrapper around a psycopg server-binding cursor:
    errors are Django's and query capture sees the statements. Elsewhere, or with
    settings.PREPARED_STATEMENTS off, an ordinary cursor."""
    from django.conf import settings
    from django.db import connections

    connection = connections[using]
    if connection.vendor != "postgresql" or not settings.PREPARED_STATEMENTS:
        with connection.cursor() as cursor:
            yield cursor
        return
    connection.ensure_connection()
    with connection.wrap_database_errors:
        cursor = _PreparingCursor(connection.connection)
    with connection._prepare_cursor(cursor) as wrapped:
        yield wrapped


class _PreparingCursor(psycopg.Cursor):
    """Binds parameters on the server and prepares every statement it runs."""

    def execute(self, query: Any, params: Any = None, *, prepare: bool | None = None, binary: bool | None = None):
        return super().execute(query, params, prepare=True, binary=binary)

    def _send_query_prepared(self, name: bytes, pgq: Any, *, binary: bool | None = None) -> None:
        # psycopg notes the statement only when it sends it unprepared; Django's query log reads it
        # (psycopg 3.3; requirements.lock pins it).
        self._query = pgq
        super()._send_query_prepared(name, pgq, binary=binary)


def instance_from_row(model: type[models.Model], values: dict[str, Any], *, db: str | None = None) -> models.Model:
    """A model instance from some of its columns (by attname), as if loaded from the database; the other
    fields load on first use. Values come from a raw cursor, so dates and times are converted here
    (SQLite hands them back as text)."""
    fields = [f for f in model._meta.concrete_fields if f.attname in values]  # from_db wants model order
    converted = []
    for f in fields:
        value = values[f.attname]
        if isinstance(value, str) and not isinstance(f, models.CharField | models.TextField):
            value = f.to_python(value)
        converted.append(value)
    return model.from_db(db, [f.attname for f in fields], converted)


_INSERTS: dict[tuple, tuple[str, list[models.Field], bool]] = {}


def insert_instance(obj: models.Model, *, using: str = "default") -> models.Model:
    """INSERT a new instance as `obj.save()` would for a model without its own save logic: defaults and
    auto_now by each field's pre_save, values prepared by the fields, pre_save and post_save sent, the new
    primary key set. The statement text is built once per model rather than compiled on every call: for the
    rows every received lead writes."""
    from django.db import connections

    connection = connections[using]
    sql, params, returning = insert_statement(obj, using=using)
    meta = obj._meta
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        pk = cursor.fetchone()[0] if returning else connection.ops.last_insert_id(cursor, meta.db_table, meta.pk.column)
    return inserted(obj, pk, using=using)


def insert_statement(
    obj: models.Model,
    *,
    using: str = "default",
    select_from: str = "",
    computed: dict[str, str] | None = None,
    returning: str = "",
) -> tuple[str, list[Any], bool]:
    """The INSERT of a new instance (RETURNING its key where the database can) and its parameters, pre_save
    sent; run it, then call `inserted` with the new key. `insert_instance` does both; a caller that runs
    the statement inside a larger one (core.audit.create_with_event) does them itself.

    With `select_from` the values are selected, typed, from those tables or CTEs: the row is written only
    if they have a row. `computed` gives some columns an SQL expression over them instead of the
    instance's value (its parameters, if any, come after the fields'); `returning` replaces the key as
    what the statement returns."""
    from django.db import connections
    from django.db.models.signals import pre_save

    model = type(obj)
    meta = model._meta
    connection = connections[using]
    computed = computed or {}
    key = (model, connection.vendor, select_from, tuple(computed.items()), returning)
    cached = _INSERTS.get(key)
    if cached is None:
        quote = connection.ops.quote_name
        fields = [f for f in meta.concrete_fields if f is not meta.auto_field and f.column not in computed]
        columns = [quote(f.column) for f in fields] + [quote(column) for column in computed]
        if select_from:
            values = f"SELECT {', '.join([*(typed_param(f, connection) for f in fields), *computed.values()])} "
            values += f"FROM {select_from}"
        else:
            values = f"VALUES ({', '.join([param_marks(fields), *computed.values()])})"
        returns_key = not returning and bool(connection.features.can_return_columns_from_insert)
        sql = f"INSERT INTO {quote(meta.db_table)} ({', '.join(columns)}) {values}"
        if returning or returns_key:
            sql += f" RETURNING {returning or quote(meta.pk.column)}"
        cached = _INSERTS[key] = (sql, fields, returns_key)
    sql, fields, returns_key = cached
    pre_save.send(sender=model, instance=obj, raw=False, using=using, update_fields=None)
    return sql, [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields], returns_key


def typed_param(field: models.Field, connection: Any) -> str:
    """A parameter mark cast to the field's column type, for values selected rather than VALUES-listed.
    Without the length of a varchar: PostgreSQL cuts an over-long value cast to varchar(n) without a word,
    while storing it into the column refuses it, as an ordinary INSERT does."""
    column_type = _VARCHAR_LENGTH.sub(r"\1", field.db_type(connection))
    return f"CAST(%s AS {column_type})"


_VARCHAR_LENGTH = re.compile(r"^(varchar|character varying)\(\d+\)$")


def inserted(obj: models.Model, pk: Any, *, using: str = "default") -> models.Model:
    """Mark `obj` as stored under `pk` and send post_save, as `save()` does after an INSERT."""
    from django.db.models.signals import post_save

    setattr(obj, obj._meta.pk.attname, pk)
    obj._state.adding, obj._state.db = False, using
    post_save.send(sender=type(obj), instance=obj, created=True, update_fields=None, raw=False, using=using)
    return obj
