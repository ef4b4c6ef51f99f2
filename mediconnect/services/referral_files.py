"""Referral uploads: validated by their content, stored outside any web root, served only authorised.

* Type: from the first bytes, never from the name: ``%PDF-`` (application/pdf), ``FF D8 FF``
  (image/jpeg), the PNG signature (image/png). Anything else is refused, whatever it is called
  (an .exe renamed ``scan.pdf`` is refused; a PNG called ``scan.pdf`` is stored as image/png).
* Size: 1 byte to ``MAX_BYTES`` (10 MB).
* Name: the original name is kept only for display, sanitised (last path component, no control
  characters or separators, at most 120 characters); the file itself is stored as
  ``<UPLOAD_DIR>/referrals/<64 hex>`` (``secrets.token_hex``), written to a temp file, fsynced
  and renamed, with its sha256.
* No orphans: ``store`` registers the path on the session; if the session's transaction ends
  without a commit (rollback, close, failed commit) the file is deleted. A caller that rolls
  back a SAVEPOINT around the insert calls ``discard`` itself.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import SessionTransaction
from sqlmodel import Session

from mediconnect.core import audit, policy
from mediconnect.core.errors import DashboardError, DashErrorCode
from mediconnect.core.policy import Principal
from mediconnect.core.settings import get_settings
from mediconnect.models.referrals import ReferralDocument

MAX_BYTES = 10 * 1024 * 1024
MAX_NAME = 120
_PENDING_KEY = "mediconnect_pending_referral_files"
_SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
)


class ReferralFileError(ValueError):
    """An upload we refuse; ``message`` is a sentence for the person uploading."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class ReferralUpload:
    filename: str
    data: bytes


@dataclass(frozen=True, slots=True)
class CheckedUpload:
    display_name: str
    content_type: str
    data: bytes
    sha256: str


@dataclass(frozen=True, slots=True)
class StoredFile:
    stored_name: str
    path: Path
    display_name: str
    content_type: str
    size_bytes: int
    sha256: str


def sniff(data: bytes) -> str | None:
    """The content type the bytes really are (of the three we accept), or None."""
    for magic, content_type, _ in _SIGNATURES:
        if data.startswith(magic):
            return content_type
    return None


def display_name(filename: str, content_type: str) -> str:
    """A harmless name to show: the last path part, printable, capped, never empty."""
    base = filename.replace("\\", "/").rsplit("/", 1)[-1]
    clean = "".join(
        ch
        for ch in unicodedata.normalize("NFC", base)
        if unicodedata.category(ch)[0] != "C" and ch not in "/\\:"
    ).strip(" .")
    if not clean:
        clean = "referral" + next(ext for _, ct, ext in _SIGNATURES if ct == content_type)
    return clean[:MAX_NAME]


def validate(upload: ReferralUpload) -> CheckedUpload:
    data = upload.data
    if not data:
        raise ReferralFileError("The referral file is empty.")
    if len(data) > MAX_BYTES:
        raise ReferralFileError("The referral file is larger than 10 MB.")
    content_type = sniff(data)
    if content_type is None:
        raise ReferralFileError("The referral must be a PDF, JPEG or PNG file.")
    return CheckedUpload(
        display_name=display_name(upload.filename or "", content_type),
        content_type=content_type,
        data=data,
        sha256=hashlib.sha256(data).hexdigest(),
    )


def storage_dir() -> Path:
    return Path(get_settings().UPLOAD_DIR) / "referrals"


def path_of(stored_name: str) -> Path:
    if not 32 <= len(stored_name) <= 64 or any(c not in "0123456789abcdef" for c in stored_name):
        raise ValueError("not a stored referral name")
    return storage_dir() / stored_name


def store(*, session: Session, checked: CheckedUpload) -> StoredFile:
    """Write the file under a random name; it is deleted again unless ``session`` commits."""
    folder = storage_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    name = secrets.token_hex(32)
    final = folder / name
    tmp = folder / f".{name}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(checked.data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, final)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    session.info.setdefault(_PENDING_KEY, []).append(final)
    if not session.in_transaction():
        session.connection()  # so the commit or rollback that settles the file fires
    return StoredFile(
        name, final, checked.display_name, checked.content_type, len(checked.data), checked.sha256
    )


def discard(*, session: Session, stored: StoredFile) -> None:
    """Delete a stored file now (its insert was rolled back) and forget it."""
    pending: list[Path] = session.info.get(_PENDING_KEY, [])
    if stored.path in pending:
        pending.remove(stored.path)
    stored.path.unlink(missing_ok=True)


@sa_event.listens_for(OrmSession, "after_commit")
def _kept(session: OrmSession) -> None:
    # after_commit also fires when a SAVEPOINT is released; only the real commit keeps files.
    if not session.in_nested_transaction():
        session.info.pop(_PENDING_KEY, None)


@sa_event.listens_for(OrmSession, "after_transaction_end")
def _drop_uncommitted(session: OrmSession, transaction: SessionTransaction) -> None:
    # The outermost transaction ended without after_commit clearing the list: nothing was kept.
    if transaction.parent is not None or transaction.nested:
        return
    for path in session.info.pop(_PENDING_KEY, None) or ():
        Path(path).unlink(missing_ok=True)


def open_referral_document(
    *, session: Session, principal: Principal, document_id: int, ip: str | None = None
) -> tuple[ReferralDocument, Path]:
    """The document and its file, for whoever may read that patient's referral (audited).

    Who may: ``policy.require_referral_document`` (the patient's readers; of referring doctors
    only the one who sent it; a missing document is DASH_006 like a refused one).
    """
    doc, referral = policy.require_referral_document(session, principal=principal, document_id=document_id)
    patient_id = referral.patient_id
    path = path_of(doc.stored_name)
    if not path.is_file():
        raise DashboardError(DashErrorCode.DASH_003, "the document file is not available")
    audit.record(
        session,
        principal_or_user_id=principal,
        action=audit.AuditAction.DOWNLOAD,
        patient_id=patient_id,
        resource_type="referral_document",
        resource_id=doc.id,
        ip=ip,
    )
    return doc, path
