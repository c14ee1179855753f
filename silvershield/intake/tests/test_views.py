"""The channel pages: hotline entry, other channels, informant submissions, registry, statistics, import
page — each form names the wrong field, writes nothing on error, and scoping holds (404 outside reach)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from silvershield.core.models import AuditEvent, Informant, InformantRole, Role, Station
from silvershield.core.testing import PASSWORD, make_lead, make_person
from silvershield.intake.models import ImportBatch, ImportStatus
from silvershield.intake.tests.helpers import row, write_xlsx
from silvershield.leads.models import Attachment, Channel, Lead, LeadState
from silvershield.leads.workflow import run_lead_transition

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% referral letter\n"


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def hotline_data(**kw):
    data = dict(external_ref="12315202611200001", received_date=date.today().isoformat(), reporter_name="李大爷",
                reporter_phone="13904761234", division="红山区", party_name="康寿堂", summary="推销保健品，一盒三千元")
    data.update(kw)
    return data


@pytest.fixture
def network(org):
    station = Station.objects.create(code="HS-001", name="站前社区消协工作站", division_id="150402", bureau=org.hongshan)
    other = Station.objects.create(code="SS-001", name="松山消协工作站", division_id="150404", bureau=org.songshan)
    user = make_person("hs_info", Role.INFORMANT, org.hongshan, full_name="孙信息")
    informant = Informant.objects.create(name="孙信息", role=InformantRole.INFORMANT, station=station, user=user)
    ss_informant = Informant.objects.create(name="松山员", role=InformantRole.LIAISON, station=other)
    return dict(station=station, other=other, user=user, informant=informant, ss_informant=ss_informant)


def test_hotline_entry_saves_and_offers_an_empty_form(client, personas):
    login(client, personas.hotline)
    page = client.get(reverse("intake:hotline"))
    assert page.status_code == 200
    assert b"autofocus" in page.content and "红山区".encode() in page.content
    response = client.post(reverse("intake:hotline"), hotline_data(), follow=True)
    assert response.status_code == 200
    lead = Lead.objects.get()
    assert lead.channel == Channel.HOTLINE and lead.external_ref == "12315202611200001"
    assert lead.created_by == personas.hotline and lead.division_id == "150402"
    assert AuditEvent.objects.filter(subject_id=lead.pk, action="create").exists()
    assert response.context["form"].is_bound is False
    body = response.content.decode()
    assert "李**" in body and "139****1234" in body and "13904761234" not in body


def test_hotline_form_names_the_bad_field_and_writes_nothing(client, personas):
    login(client, personas.hotline)
    for data, field in [
        (hotline_data(reporter_phone="1390476"), "reporter_phone"),
        (hotline_data(reporter_id_number="150402199901011234"), "reporter_id_number"),
        (hotline_data(summary=""), "summary"),
        (hotline_data(division="火星区"), "division"),
        (hotline_data(external_ref=""), "external_ref"),
    ]:
        response = client.post(reverse("intake:hotline"), data)
        assert response.status_code == 400
        assert field in response.context["form"].errors, (field, response.context["form"].errors)
        assert f'data-field-error="{field}"'.encode() in response.content
    assert Lead.objects.count() == 0


def test_the_same_work_order_twice_is_refused(client, personas):
    login(client, personas.hotline)
    client.post(reverse("intake:hotline"), hotline_data())
    response = client.post(reverse("intake:hotline"), hotline_data())
    assert response.status_code == 400 and "external_ref" in response.context["form"].errors
    assert Lead.objects.count() == 1


def test_an_operator_sees_only_their_own_entries(client, org, personas):
    other_operator = make_person("hs_12315b", Role.HOTLINE_OPERATOR, org.hongshan)
    theirs = make_lead(bureau=org.hongshan, actor=other_operator, channel="hotline", party_name="别人的来电")
    mine = make_lead(bureau=org.hongshan, actor=personas.hotline, channel="hotline", party_name="我的来电")
    login(client, personas.hotline)
    body = client.get(reverse("intake:hotline")).content.decode()
    assert "我的来电" in body and "别人的来电" not in body
    assert client.get(reverse("leads:detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("leads:detail", args=[mine.pk])).status_code == 200


def test_roles_that_may_not_enter_calls_are_refused(client, personas):
    login(client, personas.investigator)
    assert client.get(reverse("intake:hotline")).status_code == 403
    assert client.get(reverse("intake:import")).status_code == 403
    assert client.get(reverse("intake:other_channel", args=["referral"])).status_code == 403


def test_referral_with_letter_sender_and_due_date(client, personas):
    login(client, personas.legal_officer)
    today = date.today()
    data = dict(sender="赤峰市公安局红山区分局", external_ref="红公移〔2026〕12号", received_date=today.isoformat(),
                sender_due_date=date(today.year + 1, 1, 10).isoformat(), party_name="福寿康健康咨询公司",
                division="红山区", summary="公安机关移送：涉嫌以养老投资为名非法集资",
                attachment=SimpleUploadedFile("移送函.pdf", PDF, content_type="application/pdf"))
    response = client.post(reverse("intake:other_channel", args=["referral"]), data)
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    lead = Lead.objects.get()
    assert (lead.channel, lead.sender, lead.sender_due_date) == (Channel.REFERRAL, data["sender"], date(today.year + 1, 1, 10))
    assert Attachment.objects.get(lead=lead).original_name == "移送函.pdf"
    listing = client.get(reverse("intake:referrals")).content.decode()
    assert "赤峰市公安局红山区分局" in listing and f"{today.year + 1}" in listing
    assert client.get(reverse("intake:referrals_export")).status_code == 200


def test_referral_errors_name_the_field_and_write_nothing(client, personas):
    login(client, personas.legal_officer)
    url = reverse("intake:other_channel", args=["referral"])
    base = dict(sender="市局", received_date=date.today().isoformat(), division="红山区", summary="事实")
    cases = [
        (dict(base, sender=""), "sender"),
        (dict(base, sender_due_date="2020-01-01"), "sender_due_date"),
        (dict(base, party_uscc="91150402MA0N00000X"), "party_uscc"),
        (dict(base, attachment=SimpleUploadedFile("a.exe", b"MZ...", content_type="application/octet-stream")), "attachment"),
        (dict(base, attachment=SimpleUploadedFile("a.pdf", b"not a pdf", content_type="application/pdf")), "attachment"),
    ]
    for data, field in cases:
        response = client.post(url, data)
        assert response.status_code == 400, field
        assert field in response.context["form"].errors, (field, response.context["form"].errors)
    assert Lead.objects.count() == 0 and Attachment.objects.count() == 0


@pytest.mark.parametrize("slug,channel", [("inspection", "inspection"), ("public_call", "public_call"), ("assigned", "assigned")])
def test_other_channels(client, personas, slug, channel):
    login(client, personas.legal_officer)
    data = dict(sender="自治区市场监管局", received_date=date.today().isoformat(), division="红山区", summary="检查发现问题")
    response = client.post(reverse("intake:other_channel", args=[slug]), data)
    assert response.status_code == 302
    assert Lead.objects.get().channel == channel


def test_informant_submits_from_a_phone_and_sees_only_their_own(client, org, personas, network):
    other = make_lead(bureau=org.hongshan, actor=personas.legal_officer, party_name="别人的线索")
    login(client, network["user"])
    photo = SimpleUploadedFile("receipt.jpg", b"\xff\xd8\xff\xe0fakejpeg", content_type="image/jpeg")
    response = client.post(reverse("intake:informant_submit"), dict(
        party_name="益年堂体验馆", party_address="站前街8号", approach="free_gifts", summary="每天早上送鸡蛋，下午推销床垫",
        attachment=photo), follow=True)
    assert response.status_code == 200
    lead = Lead.objects.get(channel=Channel.INFORMANT)
    assert lead.informant == network["informant"] and lead.division_id == "150402"
    assert lead.attachments.count() == 1
    body = response.content.decode()
    assert "益年堂体验馆" in body and "别人的线索" not in body
    assert client.get(reverse("leads:detail", args=[other.pk])).status_code == 404
    bad = client.post(reverse("intake:informant_submit"), dict(party_name="x", summary=""))
    assert bad.status_code == 400 and "summary" in bad.context["form"].errors
    assert client.get(reverse("intake:stations")).status_code == 403


def test_registry_lists_filters_exports_and_edits(client, personas, network):
    login(client, personas.task_office)
    body = client.get(reverse("intake:stations")).content.decode()
    assert "站前社区消协工作站" in body and "松山消协工作站" not in body
    body = client.get(reverse("intake:informants"), {"role": "informant"}).content.decode()
    assert "孙信息" in body and "松山员" not in body
    for name in ("intake:stations_export", "intake:informants_export", "intake:stats_export"):
        response = client.get(reverse(name))
        assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    response = client.post(reverse("intake:informant_new"), dict(name="新成员", role="collaborator",
                                                                  station=network["station"].pk, phone="12"))
    assert response.status_code == 400 and "phone" in response.context["form"].errors
    response = client.post(reverse("intake:informant_new"), dict(name="新成员", role="collaborator",
                                                                  station=network["station"].pk, phone="13904760000"))
    assert response.status_code == 302 and Informant.objects.filter(name="新成员").exists()
    response = client.post(reverse("intake:station_new"), dict(code="HS-002", name="新站", division="150402"))
    assert response.status_code == 302 and Station.objects.get(code="HS-002").bureau == personas.task_office.bureau
    # Another county's station or informant: 404.
    assert client.get(reverse("intake:station_edit", args=[network["other"].pk])).status_code == 404
    assert client.get(reverse("intake:informant_edit", args=[network["ss_informant"].pk])).status_code == 404


def test_statistics_count_and_drill_down(client, org, personas, network):
    informant = network["informant"]
    a = make_lead(bureau=org.hongshan, actor=personas.legal_officer, channel="informant", informant=informant,
                  received_date=date(2026, 3, 5))
    make_lead(bureau=org.hongshan, actor=personas.legal_officer, channel="informant", informant=informant,
              received_date=date(2026, 4, 5))
    run_lead_transition(lead=a, name="register", actor=personas.legal_officer)
    login(client, personas.task_office)
    response = client.get(reverse("intake:stats"))
    row_ = next(r for r in response.context["rows"] if r["informant"] == informant)
    assert (row_["submitted"], row_["registered"], row_["cases"]) == (2, 1, 0)
    by_station = client.get(reverse("intake:stats"), {"by": "station"}).context["rows"]
    assert next(r for r in by_station if r["station"] == network["station"])["submitted"] == 2
    months = client.get(reverse("intake:stats"), {"by": "month"}).context["rows"]
    assert [m["submitted"] for m in months] == [1, 1]
    drill = client.get(reverse("intake:stats_leads"), {"informant": informant.pk, "measure": "registered"})
    assert [lead.pk for lead in drill.context["page"]] == [a.pk]
    drill = client.get(reverse("intake:stats_leads"), {"month": "2026-04"})
    assert drill.context["page"].paginator.count == 1
    assert client.get(reverse("intake:stats_leads"), {"informant": network["ss_informant"].pk}).status_code == 404
    bad = client.get(reverse("intake:stats"), {"date_from": "2026-05-01", "date_to": "2026-01-01"})
    assert bad.status_code == 400


def test_import_page_checks_then_confirms(client, org, personas, tmp_path):
    login(client, personas.legal_officer)
    path = write_xlsx(tmp_path / "ok.xlsx", [row("P001"), row("P002")])
    with open(path, "rb") as handle:
        response = client.post(reverse("intake:import"), {"file": handle})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and batch.status == ImportStatus.CHECKED and batch.rows_created == 2
    assert Lead.objects.count() == 0
    page = client.get(reverse("intake:import_batch", args=[batch.pk]))
    assert page.context["can_confirm"]
    client.post(reverse("intake:import_confirm", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == ImportStatus.IMPORTED and Lead.objects.count() == 2
    assert set(Lead.objects.values_list("state", flat=True)) == {LeadState.RECEIVED}
    # Confirming again (double click) adds nothing.
    assert client.post(reverse("intake:import_confirm", args=[batch.pk])).status_code == 404
    assert Lead.objects.count() == 2
    # Another bureau's legal officer does not see the batch.
    client.logout()
    login(client, personas.outsider)
    assert client.get(reverse("intake:import_batch", args=[batch.pk])).status_code == 404


def test_import_page_with_a_bad_row_offers_no_confirm(client, personas, tmp_path):
    login(client, personas.legal_officer)
    path = write_xlsx(tmp_path / "bad.xlsx", [row("Q001"), row("Q002", "2026-02-30")])
    with open(path, "rb") as handle:
        client.post(reverse("intake:import"), {"file": handle})
    batch = ImportBatch.objects.get()
    page = client.get(reverse("intake:import_batch", args=[batch.pk]))
    assert not page.context["can_confirm"]
    body = page.content.decode()
    assert "登记日期" in body and ">3<" in body
    assert Lead.objects.count() == 0
    response = client.post(reverse("intake:import"), {"file": SimpleUploadedFile("x.txt", b"hello")})
    assert response.status_code == 400 and "file" in response.context["form"].errors


def test_a_checked_file_never_confirmed_is_deleted_after_a_day(client, personas, tmp_path):
    """A 12315 export holds reporters' names and phones in clear: unconfirmed, it is not kept."""
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    login(client, personas.legal_officer)
    with open(write_xlsx(tmp_path / "old.xlsx", [row("E001")]), "rb") as handle:
        client.post(reverse("intake:import"), {"file": handle})
    old = ImportBatch.objects.get()
    stored = old.stored_file.name
    storage = old.stored_file.storage
    assert storage.exists(stored)
    ImportBatch.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=25))
    with open(write_xlsx(tmp_path / "new.xlsx", [row("E002")]), "rb") as handle:
        client.post(reverse("intake:import"), {"file": handle})  # checking a new file clears the stale one
    old.refresh_from_db()
    new = ImportBatch.objects.exclude(pk=old.pk).get()
    assert old.status == ImportStatus.EXPIRED and not old.stored_file
    # Deleted before the new file was stored, which may then take the freed name.
    assert not storage.exists(stored) or new.stored_file.name == stored
    assert new.status == ImportStatus.CHECKED and storage.exists(new.stored_file.name)
    event = AuditEvent.objects.get(subject_type="intake.importbatch", subject_id=old.pk)
    assert (event.from_state, event.to_state) == ("checked", "expired")
    assert client.post(reverse("intake:import_confirm", args=[old.pk])).status_code == 404
    assert Lead.objects.count() == 0
    # From cron: anything older than the hours given.
    call_command("intake", "discard-unconfirmed", "--hours", "0")
    new.refresh_from_db()
    assert new.status == ImportStatus.EXPIRED and not storage.exists(new.stored_file.name or "x")
