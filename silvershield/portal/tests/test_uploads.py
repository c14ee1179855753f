"""core/uploads.py: the type is judged by content and extension together, the size by a limit; errors
name the field; store_attachment writes hash, type and size and audits, inside the transaction only."""

from __future__ import annotations

import hashlib

import pytest
from django.db import transaction

from silvershield.core.errors import InvalidInput
from silvershield.core.models import AuditEvent
from silvershield.core.testing import make_lead
from silvershield.core.uploads import store_attachment, validate_upload
from silvershield.portal.tests.files import EXE, JPEG, PDF, PNG, upload, xlsx_bytes


@pytest.mark.parametrize("name,content,content_type", [
    ("a.jpg", JPEG, "image/jpeg"), ("A.JPEG", JPEG, "image/jpeg"), ("b.png", PNG, "image/png"),
    ("c.pdf", PDF, "application/pdf"),
])
def test_accepts_images_and_pdf_by_content(name, content, content_type):
    info = validate_upload(upload(name, content), field="photos")
    assert info.content_type == content_type and info.size == len(content)


@pytest.mark.parametrize("name,content", [
    ("virus.jpg", EXE),  # an executable named as a photo
    ("fake.png", JPEG),  # a JPEG named .png: the extension must agree with the content
    ("doc.pdf", PNG),
    ("notes.txt", b"hello"),  # a type not allowed at all
    ("noext", JPEG),
])
def test_refuses_wrong_type_naming_the_field(name, content):
    with pytest.raises(InvalidInput) as exc:
        validate_upload(upload(name, content), field="photos")
    assert exc.value.field == "photos"
    assert "类型" in exc.value.message or "内容" in exc.value.message


def test_refuses_too_large_and_empty():
    with pytest.raises(InvalidInput, match="太大") as exc:
        validate_upload(upload("big.jpg", JPEG + b"\x00" * 2000), field="photos", max_bytes=1000)
    assert exc.value.field == "photos"
    with pytest.raises(InvalidInput, match="空文件"):
        validate_upload(upload("empty.pdf", b""), field="letter")


def test_other_kinds_for_other_callers():
    assert validate_upload(upload("a.xlsx", xlsx_bytes()), field="file", kinds=("xlsx", "csv")).kind == "xlsx"
    assert validate_upload(upload("a.csv", "名称,电话\n康寿堂,0476\n".encode("gb18030")), field="file",
                           kinds=("xlsx", "csv")).kind == "csv"
    with pytest.raises(InvalidInput):  # a zip that is not a workbook
        validate_upload(upload("a.xlsx", b"PK\x03\x04" + b"\x00" * 50), field="file", kinds=("xlsx",))
    with pytest.raises(InvalidInput):
        validate_upload(upload("a.csv", EXE), field="file", kinds=("csv",))
    with pytest.raises(ValueError):
        validate_upload(upload("a.jpg", JPEG), field="f", kinds=("video",))


def test_validation_leaves_the_file_readable_from_the_start():
    f = upload("a.pdf", PDF)
    validate_upload(f, field="photos")
    assert f.read() == PDF


def test_store_attachment_hashes_types_and_audits(org, personas):
    lead = make_lead(bureau=org.hongshan, actor=personas.legal_officer)
    with transaction.atomic():
        att = store_attachment(lead=lead, uploaded_file=upload("收据.jpg", JPEG), actor=None, description="举报人上传")
    att.refresh_from_db()
    assert att.sha256 == hashlib.sha256(JPEG).hexdigest()
    assert att.content_type == "image/jpeg" and att.size == len(JPEG) and att.original_name == "收据.jpg"
    assert "收据" not in att.file.name  # stored under a random name
    assert att.file.read() == JPEG
    assert AuditEvent.objects.filter(subject_id=lead.pk, changes__has_key="attachments").exists()
