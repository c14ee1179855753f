"""Template filters and tags for the pages: dates and money as officials write them, due-date badges,
audit-event labels, and scripts that are only linked when the build step has put them in place.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from django import template
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.utils import formats, timezone, translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from silvershield.core.workdays import working_days_between

register = template.Library()

# A clock warns once this many working days or fewer are left (the workbench's yellow).
WARNING_WORKING_DAYS = 3


@register.filter
def cn_date(value: date | datetime | None) -> str:
    """2026年11月28日 in Chinese, "Nov. 28, 2026" in English; a dash when there is no date."""
    if not value:
        return "—"
    if isinstance(value, datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return formats.date_format(value, "DATE_FORMAT")


@register.filter
def cn_datetime(value: datetime | None) -> str:
    """2026年11月28日 09:05 in Chinese; the locale's own format in English."""
    if not value:
        return "—"
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    if translation.get_language() == "zh-hans":
        return f"{formats.date_format(value, 'DATE_FORMAT')} {value:%H:%M}"
    return formats.date_format(value, "DATETIME_FORMAT")


def _decimal(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


@register.filter
def yuan(value: Any) -> str:
    """¥200,000.00 — the full amount, as on a penalty decision."""
    amount = _decimal(value)
    if amount is None:
        return "—"
    return f"¥{amount:,.2f}"


@register.filter
def wan(value: Any) -> str:
    """20万元 for large sums, as officials write in summaries; ¥ amounts below 10,000 and in English."""
    amount = _decimal(value)
    if amount is None:
        return "—"
    if translation.get_language() != "zh-hans" or abs(amount) < 10000:
        return yuan(amount)
    figure = (amount / 10000).quantize(Decimal("0.01")).normalize()
    text = f"{figure:f}"
    return f"{text}万元"


@register.filter
def wan_note(value: Any) -> str:
    """ "（20万元）" after a full amount of 10,000 yuan or more, in Chinese only (English has no 万)."""
    amount = _decimal(value)
    if amount is None or abs(amount) < 10000 or translation.get_language() != "zh-hans":
        return ""
    return format_html(" <small>（{}）</small>", wan(amount))


def _clock_running(obj: Any) -> bool:
    """A lead's verification clock runs until it is concluded; a case's decision clock until decided."""
    from silvershield.cases.models import Case, CaseState

    if isinstance(obj, Case):
        return obj.state in {
            CaseState.OPENED,
            CaseState.INVESTIGATING,
            CaseState.IN_REVIEW,
            CaseState.DELIBERATION,
            CaseState.NOTIFIED,
            CaseState.SUSPENDED,
        }
    return bool(getattr(obj, "is_open", True))


def due_level(due: date | None, *, today: date, cache: dict[date, int]) -> tuple[str, int | None]:
    """("ok" | "warning" | "overdue", working days left) for a due date seen from `today`.

    `cache` holds working-day counts by due date: a ledger page shares a handful of due dates, and each
    count reads the holiday overrides from the database.
    """
    if due is None:
        return "none", None
    if due not in cache:
        cache[due] = working_days_between(today, due)
    left = cache[due]
    if due < today:
        return "overdue", left
    if left <= WARNING_WORKING_DAYS:
        return "warning", left
    return "ok", left


@register.simple_tag(takes_context=True)
def due_badge(context: template.Context, obj: Any) -> str:
    """The item's due date, coloured: green, yellow within three working days, red when overdue."""
    due = getattr(obj, "due_date", None)
    if due is None:
        return mark_safe('<span class="due due-none">—</span>')  # a constant, nothing to escape
    if not _clock_running(obj):
        return format_html(
            '<span class="due due-stopped" title="{}">{}</span>', _("Clock stopped"), cn_date(due)
        )
    request = context.get("request")
    cache = getattr(request, "_due_cache", None)
    if cache is None:
        cache = {}
        if request is not None:
            request._due_cache = cache
    level, left = due_level(due, today=timezone.localdate(), cache=cache)
    if level == "overdue":
        note = _("overdue")
    elif left == 0:
        note = _("due today")
    else:
        note = translation.ngettext("%(n)s working day left", "%(n)s working days left", left) % {"n": left}
    provisional = getattr(obj, "due_provisional", False)
    title = _("Provisional: the holiday schedule of that year is not known yet") if provisional else note
    return format_html(
        '<span class="due due-{}" title="{}">{}{}<small>{}</small></span>',
        level,
        title,
        cn_date(due),
        "*" if provisional else "",
        note,
    )


@lru_cache(maxsize=16)
def _static_exists(path: str) -> bool:
    return finders.find(path) is not None


@register.simple_tag
def optional_script(path: str) -> str:
    """A <script> for a vendored file only when the build step has placed it (the pages work without it)."""
    if not _static_exists(path):
        return ""
    return format_html('<script src="{}" defer></script>', static(path))


@register.filter
def field_error(errors: dict[str, str] | None, name: str) -> str:
    """The message for one field from a {field: message} dict (domain errors name their field)."""
    if not errors:
        return ""
    return errors.get(name, "")


@register.filter
def get_item(mapping: dict | None, key: Any) -> Any:
    if not mapping:
        return ""
    return mapping.get(key, "")


@register.simple_tag(takes_context=True)
def query_with(context: template.Context, **changes: Any) -> str:
    """The current query string with some parameters replaced (empty value drops it), for pager links."""
    request = context["request"]
    params = request.GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"
