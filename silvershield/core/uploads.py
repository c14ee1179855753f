"""Uploaded files: one check of type and size for every channel, and one way to store them on a lead.

The type is judged by the file's first bytes (its "magic"), not by its name: a `.jpg` that is really an
executable, or a PDF renamed `.png`, is refused. The extension must also agree with the content, so an
officer who opens the stored file gets what its name promises.

    validate_upload(f, field="photos")                                 # JPEG, PNG or PDF, ≤ 10 MB
    validate_upload(f, field="file", kinds=("xlsx", "csv"))            # a spreadsheet for an import
    validate_upload(f, field="letter", kinds=("pdf", "docx", "doc", "ofd"), max_bytes=20 * 1024 * 1024)

Kinds: "image" (JPEG, PNG), "pdf", "xlsx", "csv", "docx", "doc" (old Word), "ofd" (China's fixed-layout
format). Errors are `core.errors.InvalidInput` naming the field, with a Chinese message for the form.

`store_attachment` writes a checked file to `leads.Attachment` (SHA-256, content type, size) and leaves
an audit event on the lead; it must run inside the lead's transaction.
"""

from __future__ import annotations

import hashlib
import io
import os
import secrets
import zipfile
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from silvershield.core.errors import InvalidInput

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
_SNIFF_BYTES = 8192

# kind → (extensions accepted, content type per extension, human name for the error message)
_KINDS: dict[str, dict[str, Any]] = {
    "image": {"ext": {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"}, "label": "JPG/PNG 图片"},
    "pdf": {"ext": {".pdf": "application/pdf"}, "label": "PDF"},
    "xlsx": {
        "ext": {".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
        "label": "Excel（.xlsx）",
    },
    "csv": {"ext": {".csv": "text/csv"}, "label": "CSV"},
    "docx": {
        "ext": {".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
        "label": "Word（.docx）",
    },
    "doc": {"ext": {".doc": "application/msword"}, "label": "Word（.doc）"},
    "ofd": {"ext": {".ofd": "application/ofd"}, "label": "OFD"},
}


@dataclass(frozen=True)
class UploadInfo:
    """What `validate_upload` found: the kind, the content type to store, the extension, the size."""

    kind: str
    content_type: str
    extension: str
    size: int


def _read_head(uploaded_file: Any, n: int = _SNIFF_BYTES) -> bytes:
    pos = _tell(uploaded_file)
    _seek(uploaded_file, 0)
    head = uploaded_file.read(n) or b""
    _seek(uploaded_file, pos if pos is not None else 0)
    return head


def _tell(f: Any) -> int | None:
    try:
        return f.tell()
    except (AttributeError, OSError, ValueError):
        return None


def _seek(f: Any, pos: int) -> None:
    try:
        f.seek(pos)
    except (AttributeError, OSError, ValueError):
        pass


def _read_all(uploaded_file: Any) -> bytes:
    _seek(uploaded_file, 0)
    if hasattr(uploaded_file, "chunks"):
        data = b"".join(uploaded_file.chunks())
    else:
        data = uploaded_file.read()
    _seek(uploaded_file, 0)
    return data


def _zip_names(uploaded_file: Any) -> set[str]:
    try:
        with zipfile.ZipFile(io.BytesIO(_read_all(uploaded_file))) as zf:
            return set(zf.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return set()


def _looks_like(kind: str, ext: str, head: bytes, uploaded_file: Any) -> bool:
    """Does the content match `kind` (and, for images, the exact format its extension names)?"""
    if kind == "image":
        if ext in (".jpg", ".jpeg"):
            return head.startswith(b"\xff\xd8\xff")
        if ext == ".png":
            return head.startswith(b"\x89PNG\r\n\x1a\n")
        return False
    if kind == "pdf":
        return b"%PDF-" in head[:1024]
    if kind in ("xlsx", "docx", "ofd"):
        if not head.startswith(b"PK\x03\x04"):
            return False
        names = _zip_names(uploaded_file)
        if kind == "xlsx":
            return "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names)
        if kind == "docx":
            return "[Content_Types].xml" in names and any(n.startswith("word/") for n in names)
        return "OFD.xml" in names
    if kind == "doc":
        return head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    if kind == "csv":
        if b"\x00" in head:
            return False
        sample = head[:4096]
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                sample.decode(encoding)
                return True
            except UnicodeDecodeError as exc:
                # The sample may have cut a multi-byte character in two at its end.
                if exc.start >= len(sample) - 3:
                    return True
        return False
    return False


def _size_of(uploaded_file: Any) -> int:
    size = getattr(uploaded_file, "size", None)
    if size is None:
        size = len(_read_all(uploaded_file))
    return int(size)


def _label(kinds: tuple[str, ...] | list[str]) -> str:
    return "、".join(_KINDS[k]["label"] for k in kinds)


def validate_upload(
    uploaded_file: Any, *, field: str, kinds: tuple[str, ...] | list[str] = ("image", "pdf"),
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> UploadInfo:
    """Check one uploaded file's type (by content and extension) and size; InvalidInput naming `field`."""
    unknown = [k for k in kinds if k not in _KINDS]
    if unknown:
        raise ValueError(f"unknown upload kind(s): {unknown}")
    if uploaded_file is None:
        raise InvalidInput("请选择文件", field=field)
    name = os.path.basename(getattr(uploaded_file, "name", "") or "")
    ext = os.path.splitext(name)[1].lower()
    size = _size_of(uploaded_file)
    if size == 0:
        raise InvalidInput(f"文件“{name}”是空文件", field=field)
    if size > max_bytes:
        limit = f"{max_bytes / (1024 * 1024):g} MB"
        raise InvalidInput(f"文件“{name}”太大：每个文件不能超过 {limit}", field=field)
    kind = next((k for k in kinds if ext in _KINDS[k]["ext"]), None)
    if kind is None:
        raise InvalidInput(f"文件“{name}”的类型不对：只接受 {_label(kinds)}", field=field)
    head = _read_head(uploaded_file)
    if not _looks_like(kind, ext, head, uploaded_file):
        raise InvalidInput(f"文件“{name}”的内容不是 {_KINDS[kind]['label']}，请换一个文件", field=field)
    return UploadInfo(kind=kind, content_type=_KINDS[kind]["ext"][ext], extension=ext, size=size)


def detect_content_type(uploaded_file: Any) -> str:
    """The content type of a file of any known kind, or application/octet-stream."""
    name = getattr(uploaded_file, "name", "") or ""
    ext = os.path.splitext(name)[1].lower()
    head = _read_head(uploaded_file)
    for kind, spec in _KINDS.items():
        if ext in spec["ext"] and _looks_like(kind, ext, head, uploaded_file):
            return spec["ext"][ext]
    return "application/octet-stream"


def store_attachment(*, lead: Any, uploaded_file: Any, actor: Any, description: str = "") -> Any:
    """Store an (already validated) file on `lead` as a leads.Attachment and audit it.

    Must run inside the lead's transaction (the audit event and the row commit together). The file is
    saved under a random name, so the storage path reveals nothing of what the reporter called it; the
    original name is kept on the row.
    """
    from django.core.files.base import ContentFile

    from silvershield.core.audit import record_event
    from silvershield.core.models import AuditEvent
    from silvershield.leads.models import Attachment

    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("store_attachment must run inside the lead's transaction")
    content = _read_all(uploaded_file)
    original = os.path.basename(getattr(uploaded_file, "name", "") or "file")[:200] or "file"
    ext = os.path.splitext(original)[1].lower()[:10]
    attachment = Attachment(
        lead=lead,
        original_name=original,
        content_type=detect_content_type(uploaded_file)[:100],
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        description=(description or "")[:200],
        uploaded_by=actor,
    )
    attachment.file.save(secrets.token_hex(16) + ext, ContentFile(content), save=False)
    attachment.save()
    record_event(
        subject=lead, actor=actor, action=AuditEvent.Action.UPDATE, changes={"attachments": (None, original)}
    )
    return attachment
