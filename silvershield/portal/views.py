"""The public portal: report form → tracking code page; status look-up. No sign-in, CSRF on every form,
rate limits per client address, an offline captcha and a one-time key against double submission."""

from __future__ import annotations

import secrets

from django.core import signing
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from silvershield.core.errors import InvalidInput
from silvershield.portal import captcha
from silvershield.portal.forms import ReportForm, StatusForm
from silvershield.portal.ratelimit import over_limit
from silvershield.portal.services import (
    division_by_code, find_for_status, idempotency_key, submit_report,
)
from silvershield.portal.status import public_status

_KEY_SALT = "silvershield.portal.form-key"
_KEY_MAX_AGE = 24 * 3600
DONE_SESSION_KEY = "portal_done"


def too_many(request, seconds: int):
    response = render(request, "portal/429.html", {"minutes": max(1, seconds // 60)}, status=429)
    response["Retry-After"] = str(seconds)
    return response


def _new_key() -> str:
    return signing.TimestampSigner(salt=_KEY_SALT).sign(secrets.token_urlsafe(24))


def _key_is_ours(key: str) -> bool:
    try:
        signing.TimestampSigner(salt=_KEY_SALT).unsign(key or "", max_age=_KEY_MAX_AGE)
    except signing.BadSignature:
        return False
    return True


def _form_page(request, form: ReportForm, key: str, status: int = 200):
    svg = captcha.new_challenge(request.session, key)
    return render(request, "portal/report.html", {"form": form, "key": key, "captcha_svg": svg}, status=status)


@never_cache
def home(request):
    return render(request, "portal/home.html")


@never_cache
@require_http_methods(["GET", "POST"])
def report(request):
    if request.method == "GET":
        key = _new_key()
        return _form_page(request, ReportForm(initial={"key": key}), key)

    key = request.POST.get("key", "")
    if not _key_is_ours(key):
        # An expired or forged form: start again with a fresh one, keeping what was typed.
        key = _new_key()
        form = ReportForm(data={**request.POST.dict(), "key": key})
        form.is_valid()
        form.add_error(None, _("This form was open too long. Please check your answers and send it again."))
        return _form_page(request, form, key, status=400)
    stored_key = idempotency_key("portal", key)
    # A second click or a retry of a form already sent: the same tracking code, nothing new created.
    from silvershield.leads.models import Lead

    existing = Lead.objects.filter(idempotency_key=stored_key).only("tracking_code").first()
    if existing is not None:
        request.session[DONE_SESSION_KEY] = existing.tracking_code
        return redirect("portal:done")

    wait = over_limit(request, "submit")
    if wait:
        return too_many(request, wait)

    form = ReportForm(request.POST, request.FILES)
    valid = form.is_valid()
    if not captcha.check(request.session, key, request.POST.get("captcha", "")):
        form.add_error("captcha", _("The answer to the check question is not right. Please try the new one."))
        valid = False
    if not valid:
        return _form_page(request, form, key, status=400)
    try:
        division = division_by_code(form.cleaned_data["division"])
        fields = form.lead_fields(division)
        lookup = fields["reporter_phone"] or form.cleaned_data.get("lookup_digits") or ""
        lead, _created = submit_report(
            fields=fields, files=form.cleaned_data.get("photos") or [], key=stored_key, lookup_digits=lookup,
        )
    except InvalidInput as exc:
        name = exc.field if exc.field in form.fields else None
        form.add_error(name, exc.message)
        return _form_page(request, form, key, status=400)
    request.session[DONE_SESSION_KEY] = lead.tracking_code
    return redirect("portal:done")


@never_cache
def done(request):
    code = request.session.get(DONE_SESSION_KEY)
    if not code:
        return redirect("portal:home")
    return render(request, "portal/done.html", {"code": code})


@never_cache
@require_http_methods(["GET", "POST"])
def status(request):
    if request.method == "GET":
        return render(request, "portal/status.html", {"form": StatusForm()})
    wait = over_limit(request, "status")
    if wait:
        return too_many(request, wait)
    form = StatusForm(request.POST)
    if not form.is_valid():
        return render(request, "portal/status.html", {"form": form}, status=400)
    lead = find_for_status(form.cleaned_data["code"], form.cleaned_data.get("digits") or "")
    if lead is None:
        form.add_error(None, _(
            "We could not find a report with this tracking code and these phone digits. Please check both "
            "and try again, or call 12315."
        ))
        return render(request, "portal/status.html", {"form": form, "not_found": True}, status=404)
    return render(request, "portal/status.html", {
        "form": StatusForm(), "result": public_status(lead), "code": lead.tracking_code,
    })
