"""Small helpers for the few hot paths that write their own SQL instead of going through the ORM's
compiler (lead intake: the duplicate scan, entity linking). Everything else uses the ORM."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import models


def param_marks(values: Sequence[Any]) -> str:
    """The parameter marks "%s, %s, %s" of an IN (…) list of these values."""
    return ", ".join(["%s"] * len(values))


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
