"""Ad-monitoring pages: the review queue, an ad with its findings highlighted, the upload page, the list
of ads with its Excel export, the monitoring figures and the rejection rates per rule.

Reads go through ads_visible_to / findings_visible_to (404 for what is outside the person's reach);
writes are calls to ads.services.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from silvershield.ads.forms import AdFilterForm, UploadForm
from silvershield.ads.ingest import FileError, clean_rows, read_rows
from silvershield.ads.models import Decision, FindingState, IngestBatch
from silvershield.ads.permissions import can_review_ads, can_see_ads
from silvershield.ads.queries import (
    ads_visible_to,
    findings_visible_to,
    get_ad_for_user,
    get_finding_for_user,
    monitoring_figures,
    rejection_rates,
)
from silvershield.ads.services import IngestFailed, ingest_ads, review_finding
from silvershield.core.errors import DomainError
from silvershield.core.queries import reachable_bureaus_q
from silvershield.core.views.pages import render_page, xlsx_response

PAGE_SIZE = 30
CONTEXT_CHARS = 40
SEVERITY_RANK = Case(
    When(severity="high", then=Value(0)), When(severity="medium", then=Value(1)), default=Value(2),
    output_field=IntegerField(),
)


def _require_view(user) -> None:
    if not can_see_ads(user):
        raise DjangoPermissionDenied


def _require_review(user) -> None:
    if not can_review_ads(user):
        raise DjangoPermissionDenied


def _filter_form(request: HttpRequest, *, default_state: str = "") -> AdFilterForm:
    form = AdFilterForm(request.GET, user=request.user, default_state=default_state)
    form.is_valid()
    return form


def _query_without(request: HttpRequest, *names: str) -> str:
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


def excerpt(finding, context: int = CONTEXT_CHARS) -> dict[str, str]:
    """The words a finding points at, with some text either side, for the queue."""
    text = finding.ad.text
    start, end = finding.span_start, finding.span_end
    whole = start == 0 and end >= len(text)
    if whole:  # a required wording missing: the span is the whole ad
        return {"before": "", "match": "", "after": text[: context * 3] + ("…" if len(text) > context * 3 else ""),
                "whole": "1"}
    lo, hi = max(0, start - context), min(len(text), end + context)
    return {
        "before": ("…" if lo else "") + text[lo:start],
        "match": text[start:end],
        "after": text[end:hi] + ("…" if hi < len(text) else ""),
        "whole": "",
    }


def marked_text(ad, findings) -> list[dict[str, Any]]:
    """The ad's text cut into pieces, each marked with the findings whose span covers it."""
    cuts = {0, len(ad.text)}
    spans = [(f, f.span_start, f.span_end) for f in findings if not (f.span_start == 0 and f.span_end >= len(ad.text))]
    for _f, s, e in spans:
        cuts.update((s, e))
    points = sorted(cuts)
    pieces = []
    for lo, hi in zip(points, points[1:], strict=False):
        covering = [f for f, s, e in spans if s <= lo and hi <= e]
        pieces.append(
            {
                "text": ad.text[lo:hi],
                "ids": " ".join(f"f{f.pk}" for f in covering),
                "title": "；".join(f.article for f in covering),
                "severity": min((f.severity for f in covering), key=["high", "medium", "low"].index, default=""),
            }
        )
    return pieces


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


# --- the review queue ----------------------------------------------------------------------------------


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """Findings awaiting review (by default), highest severity first, then the newest ads."""
    _require_view(request.user)
    form = _filter_form(request, default_state=FindingState.PENDING)
    errors = form.error_messages()
    findings = findings_visible_to(request.user).none()
    if not errors:
        findings = form.to_filter().apply_to_findings(findings_visible_to(request.user))
    findings = findings.annotate(rank=SEVERITY_RANK).order_by("rank", "-ad__published_at", "ad_id", "span_start")
    page = Paginator(findings, PAGE_SIZE).get_page(request.GET.get("page"))
    groups: list[dict[str, Any]] = []
    for finding in page.object_list:
        if not groups or groups[-1]["severity"] != finding.severity:
            groups.append({"severity": finding.severity, "label": finding.get_severity_display(), "items": []})
        groups[-1]["items"].append({"finding": finding, "excerpt": excerpt(finding)})
    context = {
        "form": form,
        "filter_errors": errors,
        "groups": groups,
        "page": page,
        "total": page.paginator.count,
        "can_review": can_review_ads(request.user),
        "current_state": request.GET.get("state", FindingState.PENDING),
        "query": _query_without(request, "page"),
        "next_url": request.get_full_path(),
    }
    return render_page(
        request, template="ads/queue.html", partial=None, context=context, status=400 if errors else 200
    )


@login_required
def ad_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_view(request.user)
    ad = get_ad_for_user(request.user, pk)
    findings = list(
        ad.findings.select_related("rule", "reviewed_by").annotate(rank=SEVERITY_RANK).order_by("rank", "span_start")
    )
    for finding in findings:
        finding.ad = ad
    context = {
        "ad": ad,
        "findings": findings,
        "pieces": marked_text(ad, findings),
        "can_review": can_review_ads(request.user),
        "next_url": request.get_full_path(),
    }
    return render(request, "ads/ad.html", context)


@login_required
@require_POST
def review(request: HttpRequest, pk: int) -> HttpResponse:
    _require_review(request.user)
    finding = get_finding_for_user(request.user, pk)
    fallback = reverse("ads:ad", args=[finding.ad_id])
    try:
        reviewed = review_finding(
            finding=finding,
            actor=request.user,
            decision=request.POST.get("decision", ""),
            note=request.POST.get("note", ""),
        )
    except DomainError as exc:
        label = {"note": _("Review note"), "decision": _("Review decision")}.get(exc.field or "", "")
        messages.error(request, f"{label}：{exc.message}" if label else exc.message)
        return redirect(_safe_next(request, fallback) + f"#finding-{finding.pk}")
    if reviewed.state == Decision.CONFIRMED:
        ad = reviewed.ad
        ad.refresh_from_db(fields=["lead"])
        lead = ad.lead
        messages.success(
            request,
            _("Confirmed: %(article)s. The ad is in the lead ledger as %(lead)s.")
            % {"article": reviewed.article, "lead": lead.display_number if lead else "—"},
        )
    else:
        messages.success(request, _("Rejected: %(article)s. The rejection is kept to tune the rulebook.")
                         % {"article": reviewed.article})
    return redirect(_safe_next(request, fallback))


# --- upload ------------------------------------------------------------------------------------------


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    _require_review(request.user)
    form = UploadForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    failed: IngestFailed | None = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload_file = form.cleaned_data["file"]
            try:
                result = ingest_ads(
                    rows=clean_rows(read_rows(stream=upload_file.file, filename=upload_file.name)),
                    actor=request.user,
                    source=upload_file.name,
                    skip_bad=form.cleaned_data["skip_bad"],
                )
            except IngestFailed as exc:
                failed = exc
            except FileError as exc:
                form.add_error("file", exc.message)
            except DomainError as exc:
                form.add_error("file", exc.message)
            else:
                messages.success(
                    request,
                    _("%(created)s ads added, %(duplicates)s already recorded, %(skipped)s bad rows skipped; "
                      "%(findings)s findings to review.")
                    % {"created": result.created, "duplicates": result.duplicates, "skipped": result.skipped,
                       "findings": result.findings},
                )
                return redirect("ads:batch", pk=result.batch.pk)
        status = 400
        errors = [f"{form.fields[n].label}：{' '.join(e)}" for n, e in form.errors.items()]
    batches = IngestBatch.objects.filter(reachable_bureaus_q(request.user)).select_related("created_by")[:10]
    context = {"form": form, "errors": errors, "failed": failed, "batches": batches}
    return render(request, "ads/upload.html", context, status=status)


@login_required
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_view(request.user)
    from django.shortcuts import get_object_or_404

    batch = get_object_or_404(IngestBatch.objects.filter(reachable_bureaus_q(request.user)), pk=pk)
    ads = ads_visible_to(request.user).filter(batch=batch).order_by("-finding_count", "id")[:200]
    return render(request, "ads/batch.html", {"batch": batch, "ads": ads})


# --- the list of ads and its export -------------------------------------------------------------------


def _filtered_ads(request: HttpRequest):
    form = _filter_form(request)
    errors = form.error_messages()
    ads = ads_visible_to(request.user)
    ads = ads.none() if errors else form.to_filter().apply_to_ads(ads)
    return form, errors, ads


@login_required
def ad_list(request: HttpRequest) -> HttpResponse:
    """The ads behind any number of the figures page (same filters), with their findings count."""
    _require_view(request.user)
    form, errors, ads = _filtered_ads(request)
    page = Paginator(ads.order_by("-published_at", "-id"), 50).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "filter_errors": errors,
        "page": page,
        "query": _query_without(request, "page"),
    }
    return render(request, "ads/list.html", context, status=400 if errors else 200)


@login_required
def export_ads(request: HttpRequest) -> HttpResponse:
    _require_view(request.user)
    _form, errors, ads = _filtered_ads(request)
    if errors:
        messages.error(request, "；".join(errors))
        return redirect(f"{reverse('ads:list')}?{_query_without(request)}")
    headers = [_("No."), _("Published at"), _("Medium"), _("Outlet"), _("Advertiser"), _("Product"),
               _("Product type"), _("Division"), _("Suspected violations"), _("Lead"), _("Ad text")]

    def rows():
        for ad in ads.order_by("-published_at", "-id").iterator(chunk_size=2000):
            yield [
                ad.pk,
                timezone.localtime(ad.published_at).strftime("%Y-%m-%d %H:%M") if ad.published_at else "",
                ad.get_medium_display(), ad.outlet, ad.advertiser_name, ad.product_name,
                ad.get_product_type_display(), ad.division.name if ad.division else "", ad.finding_count,
                ad.lead.display_number if ad.lead else "", ad.text,
            ]

    return xlsx_response(
        filename=f"广告监测-{timezone.localdate():%Y%m%d}.xlsx", title=_("Ads monitored"), headers=headers,
        rows=rows(), widths=[8, 17, 12, 20, 24, 18, 12, 10, 8, 22, 80],
    )


# --- figures -------------------------------------------------------------------------------------------

DIMENSIONS = (
    ("by_medium", "medium"),
    ("by_product_type", "product_type"),
    ("by_month", "month"),
    ("by_division", "division"),
)


@login_required
def figures(request: HttpRequest) -> HttpResponse:
    _require_view(request.user)
    form, errors, ads = _filtered_ads(request)
    figures = monitoring_figures(ads)
    base = _query_without(request, "page")
    tables = [
        {"id": "medium", "title": _("By medium"), "param": "medium", "rows": figures.by_medium},
        {"id": "product_type", "title": _("By product type"), "param": "product_type",
         "rows": figures.by_product_type},
        {"id": "month", "title": _("By month"), "param": "month", "rows": figures.by_month},
        {"id": "division", "title": _("By division"), "param": "division", "rows": figures.by_division},
    ]
    chart_data = {
        t["id"]: {
            "labels": [str(r["label"]) for r in t["rows"]],
            "ads": [r["ads"] for r in t["rows"]],
            "flagged": [r["flagged"] for r in t["rows"]],
            "keys": [r["key"] for r in t["rows"]],
            "param": t["param"],
        }
        for t in tables
    }
    chart_data["advertisers"] = {
        "labels": [r["label"] for r in figures.top_advertisers],
        "findings": [r["findings"] for r in figures.top_advertisers],
        "keys": [r["key"] for r in figures.top_advertisers],
        "param": "advertiser",
    }
    context = {
        "form": form,
        "filter_errors": errors,
        "figures": figures,
        "tables": tables,
        "chart_data": chart_data,
        "base_query": base,
        "list_url": reverse("ads:list"),
        "labels": {
            "ads": _("Ads monitored"), "flagged": _("With findings"), "findings": _("Suspected violations"),
        },
    }
    return render(request, "ads/figures.html", context, status=400 if errors else 200)


@login_required
def export_figures(request: HttpRequest) -> HttpResponse:
    """The figures as one workbook sheet: each breakdown in turn, then the advertisers with most findings."""
    _require_view(request.user)
    _form, errors, ads = _filtered_ads(request)
    if errors:
        messages.error(request, "；".join(errors))
        return redirect(f"{reverse('ads:figures')}?{_query_without(request)}")
    figures = monitoring_figures(ads)

    def rows():
        yield [_("All ads"), "", figures.total, figures.flagged, figures.findings, round(figures.violation_rate, 4)]
        for title, key in (
            (_("By medium"), "by_medium"), (_("By product type"), "by_product_type"),
            (_("By month"), "by_month"), (_("By division"), "by_division"),
        ):
            for r in getattr(figures, key):
                yield [title, str(r["label"]), r["ads"], r["flagged"], r["findings"], round(r["rate"], 4)]
        for r in figures.top_advertisers:
            yield [_("Advertisers with most findings"), r["label"], "", r["flagged"], r["findings"], ""]

    return xlsx_response(
        filename=f"广告监测统计-{timezone.localdate():%Y%m%d}.xlsx", title=_("Monitoring figures"),
        headers=[_("Breakdown"), _("Item"), _("Ads monitored"), _("With findings"), _("Suspected violations"),
                 _("Violation rate")],
        rows=rows(), widths=[22, 30, 14, 14, 12, 14],
    )


# --- rejection rates --------------------------------------------------------------------------------------


@login_required
def rules(request: HttpRequest) -> HttpResponse:
    _require_view(request.user)
    from silvershield.ads.models import FindingReview

    # Reviews are kept when their ad goes; they belong to the reviewer's bureau.
    reviews = FindingReview.objects.filter(reachable_bureaus_q(request.user, field="reviewed_by__unit"))
    return render(request, "ads/rules.html", {"rows": rejection_rates(reviews)})

