"""Review (confirm → lead in the ledger, reject kept), the pages, the figures, scoping, the API."""

from __future__ import annotations

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from silvershield.ads.ingest import clean_rows, read_rows
from silvershield.ads.models import Ad, Finding, FindingReview, FindingState
from silvershield.ads.queries import ads_visible_to, monitoring_figures
from silvershield.ads.services import ingest_ads, review_finding
from silvershield.ads.tests.helpers import as_csv, as_jsonl, as_xlsx, records
from silvershield.core.errors import InvalidInput, PermissionDenied, StaleState
from silvershield.core.models import AuditEvent
from silvershield.core.testing import PASSWORD
from silvershield.entities.models import Entity
from silvershield.leads.models import Channel, Lead
from silvershield.leads.queries import leads_visible_to


def load(actor, rows=None, name="ads.jsonl"):
    data = as_jsonl(rows or records())
    return ingest_ads(rows=clean_rows(read_rows(stream=io.BytesIO(data), filename=name)), actor=actor, source=name)


def signed_in(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def loaded(db, monitors):
    Entity.objects.create(uscc="91150402MA0N7T3P4X", name="赤峰康寿堂保健品店", division_id="150402")
    load(monitors.hongshan)
    ad = Ad.objects.get(product_name="草原牌苦荞茶")
    return ad


def test_confirm_makes_a_lead_in_the_ledger_linked_to_the_advertiser(loaded, monitors, personas):
    ad = loaded
    finding = ad.findings.get(article="广告法第17条")
    review_finding(finding=finding, actor=monitors.hongshan, decision="confirmed", note="属实，宣称治疗糖尿病")
    ad.refresh_from_db()
    lead = ad.lead
    assert lead.channel == Channel.AD_MONITORING and lead.external_ref == f"AD-{ad.pk}"
    assert lead.party_entity.uscc == "91150402MA0N7T3P4X" and lead.party_name == "赤峰康寿堂保健品店"
    assert lead.division_id == "150402" and lead.bureau == ad.bureau
    assert "广告法第17条" in lead.summary and "专治糖尿病" in lead.summary and ad.text in lead.summary
    attachment = lead.attachments.get()
    assert attachment.original_name.endswith(".txt") and "专治糖尿病" in attachment.file.read().decode()
    # in the ledger of 红山区's legal officer
    assert leads_visible_to(personas.legal_officer).filter(pk=lead.pk).exists()
    assert not leads_visible_to(personas.outsider).filter(pk=lead.pk).exists()
    # audit: the finding's decision and the lead's creation
    assert AuditEvent.objects.filter(subject_type="ads.finding", subject_id=finding.pk, to_state="confirmed").exists()
    assert AuditEvent.objects.filter(subject_type="leads.lead", subject_id=lead.pk, action="create").exists()
    # a second confirmed finding of the same ad adds evidence to the same lead
    other = ad.findings.exclude(pk=finding.pk).first()
    review_finding(finding=other, actor=monitors.hongshan, decision="confirmed")
    assert Lead.objects.count() == 1 and lead.attachments.count() == 2
    assert FindingReview.objects.filter(decision="confirmed").count() == 2


def test_reject_needs_a_note_and_is_kept(loaded, monitors):
    finding = loaded.findings.first()
    with pytest.raises(InvalidInput) as caught:
        review_finding(finding=finding, actor=monitors.hongshan, decision="rejected", note=" ")
    assert caught.value.field == "note"
    review_finding(finding=finding, actor=monitors.hongshan, decision="rejected", note="此处为否定语境")
    finding.refresh_from_db()
    assert finding.state == FindingState.REJECTED and finding.review_note == "此处为否定语境"
    kept = FindingReview.objects.get()
    assert (kept.decision, kept.rule, kept.excerpt) == ("rejected", finding.rule, finding.excerpt)
    assert Lead.objects.count() == 0
    with pytest.raises(StaleState):
        review_finding(finding=finding, actor=monitors.hongshan, decision="confirmed")
    # the ad goes; the rejection stays for tuning
    loaded.delete()
    assert FindingReview.objects.count() == 1


def test_only_ad_monitors_review(loaded, monitors):
    with pytest.raises(PermissionDenied):
        review_finding(finding=loaded.findings.first(), actor=monitors.hongshan_leader, decision="confirmed")


def test_scoping_outsiders_get_404(client, loaded, monitors):
    finding = loaded.findings.first()
    signed_in(client, monitors.songshan)
    assert client.get(reverse("ads:ad", args=[loaded.pk])).status_code == 404
    response = client.post(reverse("ads:review", args=[finding.pk]), {"decision": "confirmed"})
    assert response.status_code == 404
    assert Finding.objects.get(pk=finding.pk).state == "pending"
    assert "专治糖尿病" not in client.get(reverse("ads:queue")).content.decode()
    # the city monitor reaches 红山区's ads; a 12315 operator reaches no ad pages at all
    client.logout()
    signed_in(client, monitors.city)
    assert client.get(reverse("ads:ad", args=[loaded.pk])).status_code == 200
    client.logout()
    signed_in(client, monitors.hotline)
    assert client.get(reverse("ads:queue")).status_code == 403


def test_queue_shows_the_span_article_and_explanation_and_confirms(client, loaded, monitors):
    signed_in(client, monitors.hongshan)
    page = client.get(reverse("ads:queue"), {"medium": "tv"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "广告法第17条" in html and "<mark class=\"sev-high\">" in html and "专治糖尿病" in html
    assert "审核队列" in html or "广告审核" in html  # Chinese UI
    assert client.get(reverse("ads:queue"), {"medium": "radio"}).content.decode().count("ads-finding\"") == 0
    finding = loaded.findings.get(article="广告法第17条")
    response = client.post(
        reverse("ads:review", args=[finding.pk]),
        {"decision": "confirmed", "note": "属实", "next": reverse("ads:queue")},
    )
    assert response.status_code == 302 and response["Location"] == reverse("ads:queue")
    loaded.refresh_from_db()
    detail = client.get(reverse("ads:ad", args=[loaded.pk])).content.decode()
    # The monitor sees which lead it became, but the ledger is not theirs: no link that would answer 404.
    assert loaded.lead.display_number in detail
    assert reverse("leads:detail", args=[loaded.lead.pk]) not in detail
    # a rejection without a note names the field
    other = loaded.findings.filter(state="pending").first()
    response = client.post(reverse("ads:review", args=[other.pk]), {"decision": "rejected"}, follow=True)
    assert "驳回须写明理由" in response.content.decode()


def test_upload_page_ingests_and_reports_bad_rows(client, db, monitors):
    signed_in(client, monitors.hongshan)
    assert client.get(reverse("ads:upload")).status_code == 200
    rows = records(n_extra=1)
    rows[2] = {**rows[2], "product_type": "unicorn"}
    bad = SimpleUploadedFile("ads.xlsx", as_xlsx(rows))
    response = client.post(reverse("ads:upload"), {"file": bad})
    assert response.status_code == 400 and Ad.objects.count() == 0
    assert "第4行 product_type" in response.content.decode()
    again = SimpleUploadedFile("ads.xlsx", as_xlsx(rows))
    response = client.post(reverse("ads:upload"), {"file": again, "skip_bad": "on"}, follow=True)
    assert response.status_code == 200 and Ad.objects.count() == 2
    assert "unicorn" in response.content.decode()
    wrong = SimpleUploadedFile("ads.pdf", b"%PDF")
    assert client.post(reverse("ads:upload"), {"file": wrong}).status_code == 400
    missing = SimpleUploadedFile("ads.csv", as_csv(records(), columns=["medium", "text"]))
    response = client.post(reverse("ads:upload"), {"file": missing})
    assert response.status_code == 400 and "product_type" in response.content.decode()


def test_figures_count_right_and_link_to_the_ads(client, db, monitors):
    rows = records(n_extra=2)  # 1 unlawful TV ad, 3 lawful newspaper ads
    load(monitors.hongshan, rows)
    figures = monitoring_figures(ads_visible_to(monitors.hongshan))
    assert (figures.total, figures.flagged) == (4, 1)
    assert figures.violation_rate == 0.25
    by_medium = {r["key"]: (r["ads"], r["flagged"]) for r in figures.by_medium}
    assert by_medium == {"tv": (1, 1), "newspaper": (3, 0)}
    assert {r["key"]: r["ads"] for r in figures.by_month} == {"2026-11": 1, "2026-10": 3}
    assert [(r["key"], r["ads"]) for r in figures.by_division] == [("150402", 4)]
    assert figures.top_advertisers[0]["label"] == "赤峰康寿堂保健品店"
    assert figures.findings == Finding.objects.count()
    # 松山区 sees none of it
    assert monitoring_figures(ads_visible_to(monitors.songshan)).total == 0

    signed_in(client, monitors.hongshan_leader)
    html = client.get(reverse("ads:figures")).content.decode()
    assert "echarts.min.js" in html and 'id="ads-chart-data"' in html
    assert f'{reverse("ads:list")}?medium=tv&flagged=1">1</a>' in html
    listed = client.get(reverse("ads:list"), {"medium": "newspaper"})
    assert listed.content.decode().count('data-ad-id="') == 3
    book = load_workbook(io.BytesIO(client.get(reverse("ads:figures_export")).content))
    values = [row for row in book.active.iter_rows(values_only=True)]
    assert values[1][2:5] == (4, 1, figures.findings)
    book = load_workbook(io.BytesIO(client.get(reverse("ads:export"), {"flagged": "1"}).content))
    assert book.active.max_row == 2
    assert client.get(reverse("ads:figures"), {"month": "2026-13"}).status_code == 400


def test_rejection_rates_page_and_command(client, loaded, monitors):
    from django.core.management import call_command

    first, second = loaded.findings.all()[:2]
    review_finding(finding=first, actor=monitors.hongshan, decision="rejected", note="误报")
    review_finding(finding=second, actor=monitors.hongshan, decision="confirmed")
    signed_in(client, monitors.hongshan)
    html = client.get(reverse("ads:rules")).content.decode()
    assert first.article in html and "100%" in html
    out = io.StringIO()
    call_command("ads", "rejection-rates", stdout=out)
    assert "驳回率 100%" in out.getvalue()


def test_api_ingests_reads_and_reviews(client, db, monitors):
    signed_in(client, monitors.hongshan)
    body = {"ads": records()}
    response = client.post("/api/v1/ads/ingest", json.dumps(body, ensure_ascii=False), content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["created"] == 2
    again = client.post("/api/v1/ads/ingest", json.dumps(body, ensure_ascii=False), content_type="application/json")
    assert again.json()["duplicates"] == 2
    bad = {"ads": [{**records()[0], "text": ""}]}
    response = client.post("/api/v1/ads/ingest", json.dumps(bad, ensure_ascii=False), content_type="application/json")
    assert response.status_code == 400 and response.json()["field"] == "text"
    assert response.json()["message"].startswith("第1行 text：为空")
    ad = Ad.objects.get(product_name="草原牌苦荞茶")
    data = client.get(f"/api/v1/ads/{ad.pk}").json()
    assert any(f["article"] == "广告法第17条" for f in data["findings"])
    finding_id = next(f["id"] for f in data["findings"] if f["article"] == "广告法第17条")
    response = client.post(
        f"/api/v1/ads/findings/{finding_id}/review", {"decision": "confirmed"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["lead_id"]
    client.logout()
    signed_in(client, monitors.songshan)
    assert client.get(f"/api/v1/ads/{ad.pk}").status_code == 404
