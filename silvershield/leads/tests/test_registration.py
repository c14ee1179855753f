"""Registration (issue 3, items 2–5): duplicates with reasons, merge and dismissal from the page, entity
links, the Word form read back with python-docx, the ledger's Excel columns, classification of every new
lead, and the reporter kept out of API answers."""

from datetime import date, timedelta
from io import BytesIO

import pytest
from docx import Document
from openpyxl import load_workbook

from silvershield.core.audit import events_for
from silvershield.core.identifiers import uscc_check_character
from silvershield.core.testing import make_lead
from silvershield.entities.services import create_entity
from silvershield.leads.duplicates import REASON_ENTITY, REASON_PARTY, REASON_PHONE, find_duplicates
from silvershield.leads.models import DuplicateDismissal, DuplicateRule, Lead, LeadState
from silvershield.leads.workflow import run_lead_transition

pytestmark = pytest.mark.django_db

OTHER_TEXT = "有人冒充社保局工作人员上门为老人代办养老保险补缴，收取三万元后失联"


def entity(name, n=1, **fields):
    body = f"92150402MA{n:07d}"
    return create_entity(actor=None, uscc=body + uscc_check_character(body), name=name, division="150402", **fields)


def lead(personas, org, **fields):
    return make_lead(bureau=org.hongshan, actor=personas.legal_officer, **fields)


def reasons_for(target, matches):
    for m in matches:
        if m.lead.pk == target.pk:
            return m.reasons
    return None


# --- duplicates: each reason -----------------------------------------------------------------------


def test_same_reporter_phone_is_found_without_decrypting(personas, org):
    first = lead(personas, org, reporter_phone="13804761234", party_name="甲", summary=OTHER_TEXT)
    second = lead(personas, org, reporter_phone="138 0476 1234", party_name="乙", summary="完全不同的一段事实描述，关于旅游")
    assert first.reporter_phone_hash and first.reporter_phone_hash == second.reporter_phone_hash
    assert "13804761234" not in first.reporter_phone_hash
    assert REASON_PHONE in reasons_for(first, find_duplicates(second))


def test_same_party_by_entity_and_by_normalised_name(personas, org):
    shop = entity("赤峰顺康健康科技有限公司")
    by_entity = lead(personas, org, party_name="某店", party_entity=shop, summary=OTHER_TEXT)
    by_name = lead(personas, org, party_name="赤峰市顺康健康科技有限责任公司", summary="另一段完全不同的说明文字")
    new = lead(personas, org, party_name="顺康健康科技公司", party_entity=shop, summary="再一段没有关系的描述内容")
    matches = find_duplicates(new)
    assert REASON_ENTITY in reasons_for(by_entity, matches)
    assert REASON_PARTY in reasons_for(by_name, matches)


def test_similar_text_within_the_window_only(personas, org):
    text = "某保健品店以免费健康讲座为名向老年人推销所谓降三高保健食品，老人花费八千元"
    near = lead(personas, org, party_name="甲", summary=text, received_date=date(2026, 11, 1))
    far = lead(personas, org, party_name="乙", summary=text, received_date=date(2026, 6, 1))
    new = lead(personas, org, party_name="丙", summary=text + "。", received_date=date(2026, 11, 2))
    matches = find_duplicates(new)
    assert any(r.startswith("事实摘要相似") for r in reasons_for(near, matches))
    assert reasons_for(far, matches) is None
    DuplicateRule.objects.update(window_days=400)
    assert reasons_for(far, find_duplicates(new)) is not None


def test_the_text_scan_takes_the_latest_received_not_the_latest_entered(personas, org):
    text = "某保健品店以免费健康讲座为名向老年人推销所谓降三高保健食品，老人花费八千元"
    recent = lead(personas, org, party_name="甲", summary=text, received_date=date(2026, 11, 10))
    lead(personas, org, party_name="乙", summary=OTHER_TEXT, received_date=date(2026, 11, 1))  # entered later
    new = lead(personas, org, party_name="丙", summary=text + "。", received_date=date(2026, 11, 12))
    DuplicateRule.objects.update(scan_limit=1)  # room for one: the lead received last
    assert any(r.startswith("事实摘要相似") for r in reasons_for(recent, find_duplicates(new)))


def test_other_bureaus_and_merged_leads_are_not_proposed(personas, org):
    text = "以免费旅游为名组织老人参加健康讲座并高价推销床垫"
    other_county = make_lead(bureau=org.songshan, actor=personas.outsider, summary=text, division="150404")
    new = lead(personas, org, summary=text)
    assert reasons_for(other_county, find_duplicates(new)) is None


# --- the lead page: merge and dismiss --------------------------------------------------------------


def test_registration_page_shows_a_duplicate_and_merges_it(client, personas, org):
    survivor = lead(personas, org, reporter_phone="13804761234", summary=OTHER_TEXT)
    run_lead_transition(lead=survivor, name="register", actor=personas.legal_officer)
    new = lead(personas, org, reporter_phone="13804761234", summary=OTHER_TEXT)
    client.force_login(personas.legal_officer)
    page = client.get(f"/leads/{new.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "疑似重复" in html and REASON_PHONE in html and f'data-duplicate="{survivor.pk}"' in html
    response = client.post(
        f"/leads/{new.pk}/transition/",
        {"transition": "merge", "version": new.version, "merged_into": f"#{survivor.pk}", "reason": "重复举报"},
    )
    assert response.status_code in (200, 302)
    new.refresh_from_db()
    assert new.state == LeadState.MERGED and new.merged_into_id == survivor.pk
    assert [e.action for e in events_for(new)] == ["create", "transition"]
    assert f'href="/leads/{new.pk}/"' in client.get(f"/leads/{survivor.pk}/").content.decode()


def test_dismissed_duplicate_is_not_proposed_again(client, personas, org):
    first = lead(personas, org, summary=OTHER_TEXT)
    second = lead(personas, org, summary=OTHER_TEXT)
    client.force_login(personas.legal_officer)
    response = client.post(f"/leads/{second.pk}/duplicates/{first.pk}/dismiss/", {"reason": "不同老人"})
    assert response.status_code == 302
    assert DuplicateDismissal.objects.filter(lead=second, other=first).exists()
    assert reasons_for(first, find_duplicates(second)) is None
    assert reasons_for(second, find_duplicates(first)) is None
    assert events_for(second).last().reason == "不同老人"
    refused = client.post(f"/leads/{second.pk}/duplicates/{first.pk}/dismiss/")
    assert refused.status_code == 302  # told it is already dismissed, nothing written twice
    assert DuplicateDismissal.objects.count() == 1


def test_officer_picks_an_entity_candidate(client, personas, org):
    shop = entity("赤峰顺康健康科技有限公司", address="红山区钢铁街12号")
    new = lead(personas, org, party_name="顺康养生馆")
    client.force_login(personas.legal_officer)
    html = client.get(f"/leads/{new.pk}/").content.decode()
    assert f'data-entity="{shop.pk}"' in html and "字号相同" in html
    assert client.post(f"/leads/{new.pk}/link-entity/", {"entity": shop.pk}).status_code == 302
    new.refresh_from_db()
    assert new.party_entity == shop
    # An outsider cannot link, nor see the lead.
    client.force_login(personas.outsider)
    assert client.post(f"/leads/{new.pk}/link-entity/", {"entity": shop.pk}).status_code == 404


# --- the form: print and Word ----------------------------------------------------------------------


def _docx_text(content: bytes) -> str:
    doc = Document(BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def test_word_form_reads_back_with_the_right_fields_and_a_masked_reporter(client, personas, org):
    shop = entity("赤峰顺康健康科技有限公司")
    new = lead(
        personas, org, reporter_name="张三丰", reporter_phone="13804761234", reporter_is_named=True,
        party_name="顺康养生馆", party_entity=shop, suggested_handling="建议移交红山区所核查",
    )
    run_lead_transition(lead=new, name="register", actor=personas.legal_officer)
    new.refresh_from_db()
    client.force_login(personas.legal_officer)
    response = client.get(f"/leads/{new.pk}/form.docx")
    assert response.status_code == 200 and response["Content-Type"].endswith("document")
    text = _docx_text(response.content)
    for expected in [
        "案件来源登记表", new.number, "举报", "2026年11月2日", "顺康养生馆", shop.uscc, "降三高",
        "建议移交红山区所核查", "王法制", "张**", "138****1234",
    ]:
        assert expected in text, expected
    assert "张三丰" not in text and "13804761234" not in text

    revealed = client.post(f"/leads/{new.pk}/form.docx", {"reason": "打印存档"})
    assert "张三丰" in _docx_text(revealed.content)
    assert events_for(new).filter(action="view_personal_data", reason="打印存档").exists()


def test_printable_form_masks_and_refuses_reveal_without_reason(client, personas, org):
    new = lead(personas, org, reporter_name="张三丰", reporter_phone="13804761234")
    client.force_login(personas.legal_officer)
    html = client.get(f"/leads/{new.pk}/form/").content.decode()
    assert "案件来源登记表" in html and "张**" in html and "张三丰" not in html
    assert client.post(f"/leads/{new.pk}/form/", {"reason": ""}).status_code == 400
    client.force_login(personas.task_office)  # may see the ledger, may not reveal
    response = client.post(f"/leads/{new.pk}/form/", {"reason": "想看"})
    assert "张三丰" not in response.content.decode()


# --- the ledger in Excel ---------------------------------------------------------------------------


def test_excel_columns_follow_the_form(client, personas, org):
    lead(personas, org, reporter_name="张三丰", reporter_phone="13804761234", reporter_address="红山区某小区")
    client.force_login(personas.legal_officer)
    rows = list(load_workbook(BytesIO(client.get("/leads/export.xlsx").content)).active.iter_rows(values_only=True))
    header = rows[0]
    for column in ["编号", "渠道", "接收日期", "举报人", "当事人", "事实摘要", "附件", "登记人", "登记日期", "处理建议"]:
        assert any(column in (h or "") for h in header), column
    text = " ".join(str(c) for r in rows for c in r if c is not None)
    assert "张三丰" not in text and "某小区" not in text and "1380" not in text


# --- classification and the API ------------------------------------------------------------------


def test_every_new_lead_gets_category_confidence_and_domain(personas, org):
    new = lead(personas, org)
    assert new.category and new.product_domain and 0 < new.category_confidence <= 1
    given = lead(personas, org, category="house_for_pension", product_domain="housing")
    assert given.category == "house_for_pension" and given.category_confidence is None


def test_api_answers_duplicates_and_candidates_never_the_reporter(client, personas, org):
    from silvershield.core.api_auth import issue_token

    shop = entity("赤峰顺康健康科技有限公司")
    earlier = lead(personas, org, reporter_phone="13804761234", summary=OTHER_TEXT)
    _token, raw = issue_token(user=personas.legal_officer)
    response = client.post(
        "/api/v1/leads",
        {
            "channel": "report", "received_date": "2026-11-02", "summary": OTHER_TEXT, "division": "150402",
            "party_name": "顺康养生馆", "reporter_name": "张三丰", "reporter_phone": "13804761234",
        },
        content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["duplicates"] and REASON_PHONE in body["duplicates"][0]["reasons"]
    shown = body["duplicates"][0]  # read in the scan's own statement: the same values as the row
    assert (shown["id"], shown["number"], shown["state"], shown["received_date"]) == (
        earlier.pk, earlier.number, earlier.state, earlier.received_date.isoformat()
    )
    assert body["entity_candidates"][0]["id"] == shop.pk
    assert body["category"] and body["category_confidence"]
    raw_text = response.content.decode()
    assert "张三丰" not in raw_text and "13804761234" not in raw_text and "reporter_phone_hash" not in raw_text
    checks = client.get(f"/api/v1/leads/{body['id']}/checks", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert checks.status_code == 200 and checks.json()["duplicates"]


def test_reveal_covers_the_reporter_address(client, personas, org):
    new = lead(personas, org, reporter_name="张三丰", reporter_address="红山区某小区3号楼")
    client.force_login(personas.legal_officer)
    html = client.post(f"/leads/{new.pk}/reveal/", {"reason": "核实"}).content.decode()
    assert "红山区某小区3号楼" in html
    assert "红山区某小区3号楼" not in client.get(f"/leads/{new.pk}/").content.decode()


def test_received_date_window_default_rule_exists():
    rule = DuplicateRule.objects.get()
    assert rule.window_days == 30 and rule.source
    assert Lead.objects.count() == 0 and timedelta(days=rule.window_days)


def test_registration_form_takes_attachments_and_refuses_a_bad_file_whole(client, personas, org):
    from django.core.files.uploadedfile import SimpleUploadedFile

    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    client.force_login(personas.legal_officer)
    form = {
        "channel": "report", "received_date": "2026-11-02", "division": "150402", "summary": OTHER_TEXT,
        "reporter_address": "红山区某小区",
    }
    bad = client.post("/leads/new/", {**form, "attachments": [
        SimpleUploadedFile("receipt.png", png, "image/png"), SimpleUploadedFile("virus.exe", b"MZ...", "application/x"),
    ]})
    assert bad.status_code == 400 and "virus.exe" in bad.content.decode()
    assert not Lead.objects.exists()
    good = client.post("/leads/new/", {**form, "attachments": [SimpleUploadedFile("receipt.png", png, "image/png")]})
    assert good.status_code == 302
    created = Lead.objects.get()
    assert [a.original_name for a in created.attachments.all()] == ["receipt.png"]
    assert created.reporter_address == "红山区某小区"
    text = _docx_text(client.get(f"/leads/{created.pk}/form.docx").content)
    assert "receipt.png" in text and "红山区某小区" not in text
