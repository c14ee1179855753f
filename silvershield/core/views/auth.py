"""Signing in and out. Sign-in is the one page that needs no account."""

from __future__ import annotations

from django.contrib.auth import login, logout
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from silvershield.core import signin


def _safe_next(request: HttpRequest) -> str:
    """Where to go after signing in; only paths on this site, so a link cannot bounce a user elsewhere."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return ""


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and request.method == "GET":
        return redirect(_safe_next(request) or "core:workbench")
    form = AuthenticationForm(request, data=request.POST or None)
    status, locked = 200, ""
    if request.method == "POST":
        username = request.POST.get("username", "")
        address = signin.client_address(request)
        if signin.is_locked(username, address):
            # Locked: the password is not checked at all, so further guesses learn nothing.
            form = AuthenticationForm(request, initial={"username": username})
            locked = _("Too many failed sign-ins. Try again in %(minutes)d minutes, or ask your administrator.") % {
                "minutes": signin.lockout_minutes()
            }
            status = 429
        elif form.is_valid():
            signin.clear_failures(username, address)
            login(request, form.get_user())
            return redirect(_safe_next(request) or "core:workbench")
        else:
            signin.record_failure(username, address)
    return render(
        request, "core/login.html", {"form": form, "next": _safe_next(request), "locked": locked}, status=status
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("core:login")
