"""Channel pages: the 12315 hotline form, the other channels (referral, assignment, inspection, public
call), the informant's phone form, the informant network's registry and statistics, the 12315 import.

Every read is scoped (intake.queries, leads.queries): outside one's reach is a 404. Every write is a call
to intake.services, which ends in leads.services.create_lead.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.files.base import ContentFile
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from silvershield.core.errors import DomainError
from silvershield.core.queries import bureau_of
from silvershield.core.views.pages import xlsx_response
from silvershield.intake import permissions as perms
from silvershield.intake.forms import (
    HotlineForm,
    ImportUploadForm,
    InformantForm,
    InformantSubmissionForm,
    NetworkFilterForm,
    OtherChannelForm,
    StationForm,
    StatsFilterForm,
)
from silvershield.intake.imports import (
    discard_unconfirmed,
    DEFAULT_MAPPING,
    FIELDS,
    FileProblem,
    ImportOptions,
    merge_mapping,
    run_import,
)
from silvershield.intake.models import ImportBatch, ImportStatus
from silvershield.intake.queries import (
    MEASURES,
    StatsFilter,
    get_informant_for_user,
    get_station_for_user,
    informants_visible_to,
    measure_q,
    network_leads,
    own_submissions,
    stations_visible_to,
    stats_by_informant,
    stats_by_month,
    stats_by_station,
)
from silvershield.intake.services import informant_division, receive_lead, save_informant, save_station
from silvershield.leads.models import Channel
from silvershield.leads.queries import leads_visible_to

REPORTER_COLUMNS = ("reporter_id_number", "reporter_address")
OTHER_CHANNELS = {
    "referral": Channel.REFERRAL, "assigned": Channel.ASSIGNED,
    "inspection": Channel.INSPECTION, "public_call": Channel.PUBLIC_CALL,
}


def _require(allowed: bool) -> None:
    if not allowed:
        raise DjangoPermissionDenied


def _attach_error(form, error: DomainError) -> None:
    field = "party_uscc" if error.field == "party_entity" else error.field
    if field in form.fields:
        form.add_error(field, error.message)
    else:
        form.add_error(None, error.message)


# --- the hub ------------------------------------------------------------------------------------------------


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.role == "informant":
        return redirect("intake:informant_submit")
    if user.role == "hotline_operator":
        return redirect("intake:hotline")
    _require(perms.can_use_intake(user))
    return render(request, "intake/index.html", {
        "can_hotline": perms.can_enter_hotline(user), "can_other": perms.can_enter_other_channels(user),
        "can_import": perms.can_import(user), "can_network": perms.can_view_network(user),
        "other_channels": [(slug, Channel(value).label) for slug, value in OTHER_CHANNELS.items()],
    })


# --- 12315 hotline --------------------------------------------------------------------------------------------


@login_required
def hotline(request: HttpRequest) -> HttpResponse:
    """The operator's form: save, say so clearly, and offer an empty form for the next call."""
    _require(perms.can_enter_hotline(request.user))
    form = HotlineForm(request.POST or None, user=request.user)
    saved = None
    if request.method == "POST" and form.is_valid():
        try:
            saved = receive_lead(actor=request.user, channel=Channel.HOTLINE, fields=form.service_fields())
        except DomainError as error:
            _attach_error(form, error)
        else:
            messages.success(request, _("Call saved: work order %(ref)s is lead #%(id)s in the ledger.")
                             % {"ref": saved.external_ref, "id": saved.pk})
            return redirect(f"{reverse('intake:hotline')}?saved={saved.pk}")
    mine = own_submissions(request.user, Channel.HOTLINE).defer(*REPORTER_COLUMNS)
    page = Paginator(mine, 20).get_page(request.GET.get("page"))
    return render(request, "intake/hotline.html", {
        "form": form, "divisions": form.divisions, "page": page,
        "saved_id": request.GET.get("saved", ""),
    }, status=400 if form.errors else 200)


# --- referrals, assignments, inspections, public calls ------------------------------------------------------------


@login_required
def other_channel(request: HttpRequest, channel: str) -> HttpResponse:
    _require(perms.can_enter_other_channels(request.user))
    if channel not in OTHER_CHANNELS:
        raise Http404
    value = OTHER_CHANNELS[channel]
    form = OtherChannelForm(request.POST or None, request.FILES or None, user=request.user, channel=value)
    if request.method == "POST" and form.is_valid():
        try:
            lead = receive_lead(actor=request.user, channel=value, fields=form.service_fields(),
                                attachment=form.cleaned_data.get("attachment"),
                                attachment_description=str(form.fields["attachment"].label))
        except DomainError as error:
            _attach_error(form, error)
        else:
            messages.success(request, _("The lead has been received (#%(id)s). Register it to give it a number.")
                             % {"id": lead.pk})
            return redirect("leads:detail", pk=lead.pk)
    return render(request, "intake/other_channel.html", {
        "form": form, "channel": value, "channel_label": Channel(value).label, "slug": channel,
        "divisions": form.divisions,
    }, status=400 if form.errors else 200)


def _sender_leads(request: HttpRequest):
    queryset = leads_visible_to(request.user).filter(channel__in=[Channel.REFERRAL, Channel.ASSIGNED])
    channel = request.GET.get("channel", "")
    if channel in (Channel.REFERRAL, Channel.ASSIGNED):
        queryset = queryset.filter(channel=channel)
    if request.GET.get("open"):
        queryset = queryset.exclude(state__in=["concluded", "struck_off", "merged"])
    text = (request.GET.get("q") or "").strip()
    if text:
        queryset = queryset.filter(sender__icontains=text) | queryset.filter(party_name__icontains=text)
    return queryset.defer("reporter_name", "reporter_phone", *REPORTER_COLUMNS).order_by("sender_due_date", "-id")


@login_required
def referrals(request: HttpRequest) -> HttpResponse:
    """Referred and assigned leads with the date the sender wants the answer by."""
    _require(perms.can_view_network(request.user) or perms.can_enter_other_channels(request.user))
    page = Paginator(_sender_leads(request), 50).get_page(request.GET.get("page"))
    today = timezone.localdate()
    return render(
        request, "intake/referrals.html",
        {"page": page, "today": today, "q": request.GET, "can_enter": perms.can_enter_other_channels(request.user)},
    )


@login_required
def referrals_export(request: HttpRequest) -> HttpResponse:
    _require(perms.can_view_network(request.user) or perms.can_enter_other_channels(request.user))
    rows = ([lead.display_number, lead.get_channel_display(), lead.sender, lead.external_ref, lead.received_date,
             lead.sender_due_date, lead.party_name, lead.division.name, lead.get_state_display(),
             lead.get_outcome_display()] for lead in _sender_leads(request).iterator(chunk_size=2000))
    return xlsx_response(
        filename=f"{_('Referrals and assignments')}-{timezone.localdate():%Y-%m-%d}.xlsx",
        title=_("Referrals and assignments"),
        headers=[_("Number"), _("Channel"), _("Sender"), _("Document number"), _("Date received"),
                 _("Reply due to sender"), _("Party"), _("Division"), _("State"), _("Outcome")],
        rows=rows, widths=[26, 16, 26, 20, 12, 12, 30, 10, 10, 14],
    )


# --- the informant's phone form ------------------------------------------------------------------------------------


@login_required
def informant_submit(request: HttpRequest) -> HttpResponse:
    user = request.user
    _require(perms.can_submit_as_informant(user))
    informant = user.informant
    form = InformantSubmissionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "attachment"}
        data.update(received_date=timezone.localdate(), informant=informant,
                    division=informant_division(informant, user))
        try:
            lead = receive_lead(actor=user, channel=Channel.INFORMANT, fields=data,
                                attachment=form.cleaned_data.get("attachment"),
                                attachment_description=_("Photo from the informant"))
        except DomainError as error:
            _attach_error(form, error)
        else:
            messages.success(request, _("Thank you. Your report #%(id)s has been sent to the bureau.") % {"id": lead.pk})
            return redirect("intake:informant_submit")
    mine = own_submissions(user).defer("reporter_name", "reporter_phone", *REPORTER_COLUMNS)[:30]
    return render(request, "intake/informant_submit.html", {"form": form, "informant": informant, "mine": mine},
                  status=400 if form.errors else 200)


# --- the network's registry ----------------------------------------------------------------------------------------


def _station_list(request: HttpRequest):
    form = NetworkFilterForm(request.GET, user=request.user)
    queryset = stations_visible_to(request.user)
    if form.is_valid():
        data = form.cleaned_data
        if data["division"]:
            queryset = queryset.filter(division_id=data["division"])
        if data["q"]:
            queryset = queryset.filter(name__icontains=data["q"]) | queryset.filter(code__icontains=data["q"])
    from django.db.models import Count

    return form, queryset.annotate(members=Count("informant")).order_by("code")


@login_required
def stations(request: HttpRequest) -> HttpResponse:
    _require(perms.can_view_network(request.user))
    form, queryset = _station_list(request)
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    return render(request, "intake/stations.html", {
        "form": form, "page": page, "can_edit": perms.can_edit_network(request.user),
        "total": page.paginator.count, "query": request.GET.urlencode(),
    })


@login_required
def stations_export(request: HttpRequest) -> HttpResponse:
    _require(perms.can_view_network(request.user))
    _form, queryset = _station_list(request)
    rows = ([s.code, s.name, s.division.name, s.bureau.name, s.address, s.get_venue_kind_display(), s.members] for s in queryset)
    return xlsx_response(
        filename=f"{_('Stations')}-{timezone.localdate():%Y-%m-%d}.xlsx", title=_("Stations"),
        headers=[_("Code"), _("Name"), _("Division"), _("Bureau"), _("Address"), _("Where"), _("Members")],
        rows=rows, widths=[16, 30, 10, 28, 36, 14, 8],
    )


def _registry_edit(request: HttpRequest, *, form_class, instance, save, saved: str, title: str, back: str):
    """The one create/edit page of the informant network's registry (stations and informants alike)."""
    form = form_class(request.POST or None, instance=instance, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in form.Meta.fields}
        try:
            save(actor=request.user, data=data)
        except DomainError as error:
            _attach_error(form, error)
        else:
            messages.success(request, saved)
            return redirect(back)
    return render(request, "intake/registry_form.html", {"form": form, "title": title, "back": reverse(back)},
                  status=400 if form.errors else 200)


@login_required
def station_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    _require(perms.can_edit_network(request.user))
    station = get_station_for_user(request.user, pk) if pk else None
    return _registry_edit(
        request, form_class=StationForm, instance=station,
        save=lambda *, actor, data: save_station(actor=actor, station=station, data=data),
        saved=_("The station has been saved."), title=_("Edit station") if station else _("New station"),
        back="intake:stations",
    )


def _informant_list(request: HttpRequest):
    form = NetworkFilterForm(request.GET, user=request.user)
    queryset = informants_visible_to(request.user)
    if form.is_valid():
        data = form.cleaned_data
        if data["division"]:
            queryset = queryset.filter(station__division_id=data["division"])
        if data["role"]:
            queryset = queryset.filter(role=data["role"])
        if data["station"]:
            queryset = queryset.filter(station_id=data["station"])
        if data["q"]:
            queryset = queryset.filter(name__icontains=data["q"]) | queryset.filter(area__icontains=data["q"])
    return form, queryset.order_by("station__code", "name")


@login_required
def informants(request: HttpRequest) -> HttpResponse:
    _require(perms.can_view_network(request.user))
    form, queryset = _informant_list(request)
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    return render(request, "intake/informants.html", {
        "form": form, "page": page, "can_edit": perms.can_edit_network(request.user),
        "total": page.paginator.count, "query": request.GET.urlencode(),
    })


@login_required
def informants_export(request: HttpRequest) -> HttpResponse:
    _require(perms.can_view_network(request.user))
    _form, queryset = _informant_list(request)
    rows = ([i.name, i.get_role_display(), i.station.name if i.station else "",
             i.station.division.name if i.station else "", i.area, i.phone] for i in queryset)
    return xlsx_response(
        filename=f"{_('Informants')}-{timezone.localdate():%Y-%m-%d}.xlsx", title=_("Informants"),
        headers=[_("Name"), _("Role"), _("Station"), _("Division"), _("Area"), _("Phone")],
        rows=rows, widths=[12, 14, 30, 10, 30, 16],
    )


@login_required
def informant_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    _require(perms.can_edit_network(request.user))
    informant = get_informant_for_user(request.user, pk) if pk else None
    return _registry_edit(
        request, form_class=InformantForm, instance=informant,
        save=lambda *, actor, data: save_informant(actor=actor, informant=informant, data=data),
        saved=_("The informant has been saved."), title=_("Edit informant") if informant else _("New informant"),
        back="intake:informants",
    )


# --- statistics ---------------------------------------------------------------------------------------------------


def _stats_filter(request: HttpRequest) -> tuple[StatsFilterForm, StatsFilter | None]:
    form = StatsFilterForm(request.GET, user=request.user)
    if not form.is_valid():
        return form, None
    data = form.cleaned_data
    return form, StatsFilter(date_from=data.get("date_from"), date_to=data.get("date_to"),
                             division=data.get("division") or "")


@login_required
def stats(request: HttpRequest) -> HttpResponse:
    _require(perms.can_view_network(request.user))
    form, f = _stats_filter(request)
    by = request.GET.get("by", "informant")
    if by not in ("informant", "station", "month"):
        by = "informant"
    rows = []
    if f is not None:
        rows = {"informant": stats_by_informant, "station": stats_by_station, "month": stats_by_month}[by](request.user, f)
    totals = {m: sum(r[m] for r in rows) for m in MEASURES}
    base = request.GET.copy()
    base.pop("by", None)
    return render(request, "intake/stats.html", {
        "form": form, "rows": rows, "by": by, "totals": totals, "base_query": base.urlencode(),
        "query": request.GET.urlencode(),
    }, status=200 if f is not None else 400)


@login_required
def stats_export(request: HttpRequest) -> HttpResponse:
    _require(perms.can_view_network(request.user))
    _form, f = _stats_filter(request)
    f = f or StatsFilter()
    by = request.GET.get("by", "informant")
    counts = [_("Leads submitted"), _("Registered"), _("Cases opened")]
    if by == "station":
        rows = ([r["station"].code, r["station"].name, r["station"].division.name, r["station"].members,
                 r["submitted"], r["registered"], r["cases"]] for r in stats_by_station(request.user, f))
        headers, widths = [_("Code"), _("Station"), _("Division"), _("Members"), *counts], [16, 30, 10, 8, 12, 12, 12]
    elif by == "month":
        rows = ([f"{r['month']:%Y-%m}", r["submitted"], r["registered"], r["cases"]]
                for r in stats_by_month(request.user, f))
        headers, widths = [_("Month"), *counts], [10, 12, 12, 12]
    else:
        rows = ([r["informant"].name, r["informant"].get_role_display(),
                 r["informant"].station.name if r["informant"].station else "",
                 r["submitted"], r["registered"], r["cases"]] for r in stats_by_informant(request.user, f))
        headers, widths = [_("Name"), _("Role"), _("Station"), *counts], [12, 14, 30, 12, 12, 12]
    return xlsx_response(
        filename=f"{_('Informant statistics')}-{timezone.localdate():%Y-%m-%d}.xlsx",
        title=_("Informant statistics"), headers=headers, rows=rows, widths=widths,
    )


@login_required
def stats_leads(request: HttpRequest) -> HttpResponse:
    """The leads behind one number of the statistics."""
    _require(perms.can_view_network(request.user))
    _form, f = _stats_filter(request)
    f = f or StatsFilter()
    measure = request.GET.get("measure", "submitted")
    if measure not in MEASURES:
        measure = "submitted"
    queryset = network_leads(request.user, f).filter(measure_q(measure))
    title_bits = []
    if request.GET.get("informant"):
        informant = get_informant_for_user(request.user, _int_or_404(request.GET["informant"]))
        queryset = queryset.filter(informant=informant)
        title_bits.append(informant.name)
    if request.GET.get("station"):
        station = get_station_for_user(request.user, _int_or_404(request.GET["station"]))
        queryset = queryset.filter(informant__station=station)
        title_bits.append(station.name)
    if request.GET.get("month"):
        try:
            year, month = (int(x) for x in request.GET["month"].split("-"))
            queryset = queryset.filter(received_date__year=year, received_date__month=month)
        except ValueError as exc:
            raise Http404 from exc
        title_bits.append(request.GET["month"])
    queryset = queryset.select_related("division", "informant").defer(
        "reporter_name", "reporter_phone", *REPORTER_COLUMNS).order_by("-received_date", "-id")
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    labels = {"submitted": _("Leads submitted"), "registered": _("Registered"), "cases": _("Cases opened")}
    back = request.GET.copy()
    for key in ("measure", "informant", "station", "month", "page"):
        back.pop(key, None)
    return render(request, "intake/stats_leads.html", {
        "page": page, "title": " · ".join([*title_bits, str(labels[measure])]), "back_query": back.urlencode(),
        "query": request.GET.urlencode(),
    })


def _int_or_404(value: str) -> int:
    try:
        return int(value)
    except ValueError as exc:
        raise Http404 from exc


# --- the 12315 import -----------------------------------------------------------------------------------------------


def _batches(request: HttpRequest):
    return ImportBatch.objects.filter(bureau=bureau_of(request.user)).select_related("created_by")


@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    """Upload a file: it is checked row by row (nothing written), then the officer confirms."""
    _require(perms.can_import(request.user))
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        discard_unconfirmed()  # files checked long ago and never confirmed hold reporters' data: delete them
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        mapping = {k: list(v) for k, v in DEFAULT_MAPPING.items()}
        try:
            if form.cleaned_data.get("mapping"):
                try:
                    given = json.loads(form.cleaned_data["mapping"].read().decode("utf-8-sig"))
                except (ValueError, UnicodeDecodeError) as exc:
                    raise FileProblem(_("The mapping file is not valid JSON")) from exc
                mapping = merge_mapping(mapping, given)
        except FileProblem as problem:
            form.add_error("mapping", str(problem))
        else:
            suffix = Path(upload.name).suffix.lower()
            if suffix not in (".xlsx", ".csv"):
                form.add_error("file", _("Only .xlsx or .csv files can be imported"))
            elif upload.size > 50 * 1024 * 1024:
                form.add_error("file", _("The file is larger than 50 MB; import it with the command instead"))
            else:
                batch = ImportBatch(bureau=bureau_of(request.user), created_by=request.user,
                                    file_name=upload.name[:200], mapping=mapping, status=ImportStatus.CHECKED,
                                    skip_bad=form.cleaned_data["skip_bad"])
                batch.stored_file.save(f"12315{suffix}", ContentFile(upload.read()), save=False)
                report = run_import(Path(batch.stored_file.path), ImportOptions(
                    bureau=batch.bureau, actor=request.user, mapping=mapping, skip_bad=batch.skip_bad, dry_run=True,
                ), file_name=upload.name, record_batch=False)
                _store_report(batch, report)
                if report.file_error or report.already_imported_batch or not report.rows_created or (
                    report.rows_bad and not batch.skip_bad
                ):
                    batch.stored_file.delete(save=False)  # nothing to confirm: do not keep reporters' data
                batch.save()
                return redirect("intake:import_batch", pk=batch.pk)
    return render(request, "intake/import_upload.html", {
        "form": form, "batches": _batches(request)[:20], "fields": FIELDS,
    }, status=400 if form.errors else 200)


def _store_report(batch: ImportBatch, report) -> None:
    batch.sha256 = report.sha256 or batch.sha256 or "-"
    batch.rows_total, batch.rows_created = report.rows_total, report.rows_created
    batch.rows_existing, batch.rows_bad = report.rows_existing, report.rows_bad
    batch.report = {**report.as_dict(), "summary": report.summary()}


@login_required
def import_batch(request: HttpRequest, pk: int) -> HttpResponse:
    _require(perms.can_import(request.user))
    batch = get_object_or_404(_batches(request), pk=pk)
    report = batch.report or {}
    can_confirm = (
        batch.status == ImportStatus.CHECKED and not report.get("file_error")
        and not report.get("already_imported_batch") and (batch.rows_bad == 0 or batch.skip_bad)
        and batch.rows_created > 0 and bool(batch.stored_file)
    )
    return render(request, "intake/import_batch.html", {"batch": batch, "report": report, "can_confirm": can_confirm})


@login_required
@require_POST
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    _require(perms.can_import(request.user))
    batch = get_object_or_404(_batches(request).exclude(stored_file=""), pk=pk, status=ImportStatus.CHECKED)
    report = run_import(Path(batch.stored_file.path), ImportOptions(
        bureau=batch.bureau, actor=request.user, mapping=batch.mapping, skip_bad=batch.skip_bad,
    ), file_name=batch.file_name, batch=batch)
    # The file holds reporters' names and phones in clear: once used, it is not kept (DOMAIN.md C.2).
    batch.stored_file.delete(save=False)
    if report.imported:
        # run_import saved the batch as imported in the same transaction as the leads.
        ImportBatch.objects.filter(pk=batch.pk).update(stored_file="")
        messages.success(request, report.summary())
    else:
        _store_report(batch, report)
        batch.status = ImportStatus.REJECTED if report.rows_bad or report.file_error else batch.status
        batch.save()
        messages.error(request, report.summary())
    return redirect("intake:import_batch", pk=batch.pk)


def import_template(request: HttpRequest) -> HttpResponse:
    """An empty workbook with the default headers, to fill in or to compare with an export."""
    headers = [spec[0] for spec in FIELDS.values()]
    example = [["12315202603050001", "2026-03-05", "张三", "13804761234", "", "赤峰康寿堂保健品店", "",
                "红山区站前街12号", "红山区", "老人参加免费讲座后被推销高价保健品", "72", "3980"]]
    return xlsx_response(filename="12315-import-template.xlsx", title="12315", headers=headers, rows=example,
                         widths=[20, 12, 10, 14, 20, 28, 22, 30, 10, 50, 8, 10])

