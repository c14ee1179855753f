"""Partner endpoints shaped after Open311 GeoReport v2 (JSON only), under /open311/v2/.

  GET  services.json                 the fraud categories as services (no key needed)
  GET  services/{service_code}.json  the attributes a request may carry (no key needed)
  POST requests.json                 create a lead; api_key (a core.ApiToken) required; jurisdiction_id =
                                     a Chifeng county division code; answers service_request_id = the
                                     tracking code. `Idempotency-Key` header: a retry gets the same answer.
  GET  requests/{id}.json            the public status in plain words; api_key required, and only for
                                     requests the same partner account posted
  GET  requests.json?service_request_id=a,b   the same for several

Errors are Open311's list of {"code", "description"}; field errors also name the field ("field").
The POST is csrf_exempt because it is authenticated by the key, never by a cookie.
"""

from __future__ import annotations

import secrets

from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from silvershield.core.api_auth import token_in_use
from silvershield.core.errors import InvalidInput
from silvershield.core.identifiers import InvalidIdentifier, validate_phone
from silvershield.core.uploads import validate_upload
from silvershield.leads.models import Approach, FraudCategory, Lead, ReporterRelation
from silvershield.portal import conf
from silvershield.portal.forms import _to_amount
from silvershield.portal.models import Source
from silvershield.portal.ratelimit import over_limit
from silvershield.portal.services import county_divisions, division_by_code, idempotency_key, submit_report
from silvershield.portal.status import public_status

_KEYWORDS = {
    FraudCategory.ELDERLY_SERVICE: "养老院,养老服务,床位,会员卡,预付费",
    FraudCategory.PROJECT_INVESTMENT: "养老项目,投资,高息,返利,养老公寓",
    FraudCategory.PRODUCT_SALES: "保健品,讲座,免费体检,医疗器械,理疗",
    FraudCategory.HOUSE_FOR_PENSION: "以房养老,房产抵押,借款",
    FraudCategory.PENSION_INSURANCE: "养老保险,代办,社保,补缴",
    FraudCategory.ELDERLY_ASSISTANCE: "帮扶,慰问,补贴,扶贫",
    FraudCategory.NOT_ELDER_FRAUD: "其他,不确定",
}


def _error(status: int, description: str, field: str | None = None, **headers) -> JsonResponse:
    body = {"code": status, "description": description}
    if field:
        body["field"] = field
    response = JsonResponse([body], status=status, safe=False, json_dumps_params={"ensure_ascii": False})
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def _json(data, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})


def _limited(request: HttpRequest, bucket: str) -> JsonResponse | None:
    wait = over_limit(request, bucket)
    if wait:
        return _error(429, _("Too many requests; try again later."), Retry_After=str(wait))
    return None


def _services() -> list[dict]:
    out = []
    for value, label in FraudCategory.choices:
        out.append({
            "service_code": value,
            "service_name": str(label),
            "description": str(label),
            "metadata": True,
            "type": "realtime",
            "keywords": _KEYWORDS.get(value, ""),
            "group": str(_("Other")) if value == FraudCategory.NOT_ELDER_FRAUD else str(_("Elder-care fraud")),
        })
    return out


def _choices(choices) -> list[dict]:
    return [{"key": k, "name": str(v)} for k, v in choices]


def _attributes() -> list[dict]:
    divisions = ", ".join(f"{d.code} {d.name}" for d in county_divisions())
    specs = [
        ("victim_age", "number", False, _("Age of the elderly person (1–129)"), None),
        ("loss_amount", "number", False, _("Money lost, in yuan"), None),
        ("approach", "singlevaluelist", False, _("How the elderly person was approached"), Approach.choices),
        ("reporter_relation", "singlevaluelist", False, _("The reporter is the elderly person's…"),
         ReporterRelation.choices),
        ("party_name", "string", False, _("Name of the business"), None),
        ("party_address", "string", False, _("Address of the business"), None),
        ("wants", "singlevaluelist", False, _("What the reporter wants"),
         [("report", _("investigation (report)")), ("complaint", _("refund (complaint)"))]),
    ]
    out = []
    for order, (code, datatype, required, description, values) in enumerate(specs, start=1):
        item = {
            "variable": True, "code": code, "datatype": datatype, "required": required,
            "datatype_description": "", "order": order, "description": str(description),
        }
        if values:
            item["values"] = _choices(values)
        out.append(item)
    out.append({
        "variable": False, "code": "jurisdiction_id", "datatype": "string", "required": True,
        "datatype_description": divisions, "order": len(out) + 1,
        "description": str(_("Send jurisdiction_id: the county division code where it happened")),
    })
    return out


@require_http_methods(["GET"])
def services(request: HttpRequest, fmt: str):
    if fmt != "json":
        return _error(400, _("Only the JSON format is offered."), "format")
    limited = _limited(request, "open311_get")
    if limited:
        return limited
    jurisdiction = request.GET.get("jurisdiction_id")
    if jurisdiction and not county_divisions().filter(code=jurisdiction).exists():
        return _error(404, _("Unknown jurisdiction_id."), "jurisdiction_id")
    return _json(_services())


@require_http_methods(["GET"])
def service_definition(request: HttpRequest, code: str, fmt: str):
    if fmt != "json":
        return _error(400, _("Only the JSON format is offered."), "format")
    limited = _limited(request, "open311_get")
    if limited:
        return limited
    if code not in FraudCategory.values:
        return _error(404, _("Unknown service_code."), "service_code")
    return _json({"service_code": code, "attributes": _attributes()})


def _partner(request: HttpRequest):
    raw = request.POST.get("api_key") or request.GET.get("api_key") or ""
    header = request.headers.get("Authorization", "")
    if not raw and header.lower().startswith("bearer "):
        raw = header[7:].strip()
    return token_in_use(raw.strip()) if raw else None


def _status_item(lead: Lead) -> dict:
    status = public_status(lead)
    receipt = getattr(lead, "portal_receipt", None)
    return {
        "service_request_id": lead.tracking_code,
        "status": "closed" if status.closed else "open",
        "status_notes": f"{status.title}：{status.text}" + (f" {status.note}" if status.note else ""),
        "service_name": lead.get_category_display() if lead.category else "",
        "service_code": lead.category or "",
        "agency_responsible": lead.bureau.name,
        "service_notice": "",
        "requested_datetime": timezone.localtime(receipt.created_at).isoformat() if receipt else None,
        "updated_datetime": timezone.localtime(lead.updated_at).isoformat(),
        "expected_datetime": None,
    }


def _attr(request: HttpRequest, code: str) -> str:
    return (request.POST.get(f"attribute[{code}]") or "").strip()


def _choice(request: HttpRequest, code: str, choices) -> str:
    value = _attr(request, code)
    if value and value not in dict(choices):
        raise InvalidInput(_("%(code)s: not one of the listed values") % {"code": code}, field=f"attribute[{code}]")
    return value


def _parse_request(request: HttpRequest) -> tuple[dict, str]:
    service_code = (request.POST.get("service_code") or "").strip()
    if service_code not in FraudCategory.values:
        raise InvalidInput(_("service_code is missing or unknown"), field="service_code")
    division = division_by_code(request.POST.get("jurisdiction_id") or "", field="jurisdiction_id")
    summary = (request.POST.get("description") or "").strip()
    if len(summary) < 5:
        raise InvalidInput(_("description is required (what happened)"), field="description")
    if len(summary) > 4000:
        raise InvalidInput(_("description is too long (at most 4000 characters)"), field="description")
    age_text = _attr(request, "victim_age")
    age = None
    if age_text:
        if not age_text.isdigit() or not 1 <= int(age_text) <= 129:
            raise InvalidInput(_("victim_age must be a whole number from 1 to 129"), field="attribute[victim_age]")
        age = int(age_text)
    try:
        loss = _to_amount(_attr(request, "loss_amount"))
    except Exception:  # noqa: BLE001 - forms.ValidationError; the field is what matters here
        raise InvalidInput(_("loss_amount must be a number of yuan"), field="attribute[loss_amount]") from None
    name = " ".join(p for p in [(request.POST.get("last_name") or "").strip(),
                                (request.POST.get("first_name") or "").strip()] if p)[:50]
    phone_text = (request.POST.get("phone") or "").strip()
    phone = ""
    if phone_text:
        try:
            phone = validate_phone(phone_text)
        except InvalidIdentifier as exc:
            raise InvalidInput(f"phone: {exc}", field="phone") from exc
    if name and not phone:
        raise InvalidInput(_("phone is required when the reporter gives a name"), field="phone")
    wants = _choice(request, "wants", [("report", ""), ("complaint", "")])
    fields = {
        "channel": "complaint" if wants == "complaint" else "report",
        "division": division,
        "summary": summary,
        "category": service_code,
        "party_name": _attr(request, "party_name")[:200],
        "party_address": (_attr(request, "party_address") or (request.POST.get("address_string") or "").strip())[:200],
        "approach": _choice(request, "approach", Approach.choices),
        "reporter_relation": _choice(request, "reporter_relation", ReporterRelation.choices),
        "victim_age": age,
        "loss_amount": loss,
        "reporter_is_named": bool(name),
        "reporter_name": name,
        "reporter_phone": phone,
    }
    return fields, phone


@csrf_exempt
@require_http_methods(["GET", "POST"])
def requests_collection(request: HttpRequest, fmt: str):
    if fmt != "json":
        return _error(400, _("Only the JSON format is offered."), "format")
    if request.method == "GET":
        return _requests_list(request)
    limited = _limited(request, "open311_post")
    if limited:
        return limited
    token = _partner(request)
    if token is None:
        return _error(403, _("A valid api_key is required to post a request."), "api_key")
    client_key = (request.headers.get("Idempotency-Key") or request.POST.get("idempotency_key") or "").strip()
    if len(client_key) > 200:
        return _error(400, _("Idempotency-Key is too long (at most 200 characters)."), "Idempotency-Key")
    key = idempotency_key(f"open311:{token.user_id}", client_key) if client_key else idempotency_key(
        "open311-once", secrets.token_hex(16)
    )
    existing = Lead.objects.filter(idempotency_key=key).first() if client_key else None
    if existing is not None:
        response = _json([{"service_request_id": existing.tracking_code, "service_notice": "", "account_id": None}])
        response["Idempotent-Replayed"] = "true"
        return response
    try:
        fields, phone = _parse_request(request)
        files = request.FILES.getlist("media")
        if len(files) > conf.max_files():
            raise InvalidInput(_("at most %(n)s files in media") % {"n": conf.max_files()}, field="media")
        for upload in files:
            validate_upload(upload, field="media", kinds=("image", "pdf"), max_bytes=conf.max_file_bytes())
        lead, created = submit_report(
            fields=fields, files=files, key=key, source=Source.OPEN311, actor=token.user,
            partner_token=token, lookup_digits=phone,
        )
    except InvalidInput as exc:
        return _error(400, exc.message, exc.field)
    response = _json([{
        "service_request_id": lead.tracking_code,
        "service_notice": str(_("Received. Tell the reporter to keep the tracking code.")),
        "account_id": None,
    }], status=201 if created else 200)
    if not created:
        response["Idempotent-Replayed"] = "true"
    return response


def _own(token, codes: list[str]):
    from silvershield.portal.services import normalize_code

    normalized = [c for c in (normalize_code(x) for x in codes) if c]
    return (
        Lead.objects.select_related("bureau", "portal_receipt")
        .filter(tracking_code__in=normalized, portal_receipt__partner_token__user_id=token.user_id)
    )


def _requests_list(request: HttpRequest):
    limited = _limited(request, "open311_get")
    if limited:
        return limited
    token = _partner(request)
    if token is None:
        return _error(403, _("A valid api_key is required."), "api_key")
    codes = [c for c in (request.GET.get("service_request_id") or "").split(",") if c.strip()][:50]
    if not codes:
        return _error(400, _("Give service_request_id (one or more, comma-separated)."), "service_request_id")
    return _json([_status_item(lead) for lead in _own(token, codes)])


@require_http_methods(["GET"])
def request_detail(request: HttpRequest, request_id: str, fmt: str):
    if fmt != "json":
        return _error(400, _("Only the JSON format is offered."), "format")
    limited = _limited(request, "open311_get")
    if limited:
        return limited
    token = _partner(request)
    if token is None:
        return _error(403, _("A valid api_key is required."), "api_key")
    lead = _own(token, [request_id]).first()
    if lead is None:
        return _error(404, _("No such request for this partner."), "service_request_id")
    return _json([_status_item(lead)])
