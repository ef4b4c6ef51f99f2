"""Referral uploads: typed by content, size-capped, names sanitised, stored under random names,
deleted when the transaction does not commit, and served only to those allowed (audited)."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from mediconnect.core.errors import AccessDenied
from mediconnect.models.audit import AuditLog
from mediconnect.models.referrals import Referral, ReferralDocument
from mediconnect.models.users import Role
from mediconnect.services import referral_files
from mediconnect.services.referral_files import (
    MAX_BYTES,
    ReferralFileError,
    ReferralUpload,
    open_referral_document,
    validate,
)
from tests.core import factories
from tests.services import scheduling_world as sw

PDF = b"%PDF-1.7\nhello\n%%EOF"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def test_type_comes_from_the_content_not_the_name() -> None:
    assert validate(ReferralUpload("letter.pdf", PDF)).content_type == "application/pdf"
    assert validate(ReferralUpload("photo.jpeg", JPEG)).content_type == "image/jpeg"
    # A PNG renamed .pdf is stored as what it is.
    png = validate(ReferralUpload("letter.pdf", PNG))
    assert png.content_type == "image/png"
    for name, data in [
        ("letter.pdf", b"MZ\x90\x00\x03 an exe"),
        ("x.pdf", b"<html><script>"),
        ("a.png", b"GIF89a......"),
        ("a.pdf", b" %PDF-1.4 leading space"),
    ]:
        with pytest.raises(ReferralFileError) as e:
            validate(ReferralUpload(name, data))
        assert "PDF, JPEG or PNG" in e.value.message


def test_size_limits() -> None:
    with pytest.raises(ReferralFileError, match="empty"):
        validate(ReferralUpload("a.pdf", b""))
    with pytest.raises(ReferralFileError, match="10 MB"):
        validate(ReferralUpload("a.pdf", b"%PDF-" + b"0" * MAX_BYTES))
    assert (
        validate(ReferralUpload("a.pdf", b"%PDF-" + b"0" * (MAX_BYTES - 5))).content_type == "application/pdf"
    )


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\windows\\system32\\scan.pdf", "scan.pdf"),
        ("/abs/path/letter.pdf", "letter.pdf"),
        ("evil\x00.pdf", "evil.pdf"),
        ("line\r\nbreak.pdf", "linebreak.pdf"),
        ("..", "referral.pdf"),
        ("", "referral.pdf"),
        ("C:letter.pdf", "Cletter.pdf"),
        ("x" * 300 + ".pdf", "x" * 120),
    ],
)
def test_names_are_sanitised(name: str, shown: str) -> None:
    assert validate(ReferralUpload(name, PDF)).display_name == shown


def test_stored_under_random_name_and_removed_unless_committed(session: Session) -> None:
    session.commit()
    checked = validate(ReferralUpload("../../etc/passwd", PDF))
    stored = referral_files.store(session=session, checked=checked)
    assert stored.path.parent == referral_files.storage_dir()
    assert len(stored.stored_name) == 64 and "passwd" not in stored.stored_name
    assert stored.path.read_bytes() == PDF and stored.sha256 == checked.sha256
    assert not list(stored.path.parent.glob(".*.tmp"))
    session.rollback()
    assert not stored.path.exists()
    kept = referral_files.store(session=session, checked=checked)
    session.commit()
    assert kept.path.exists()
    with pytest.raises(ValueError):
        referral_files.path_of("../" + "a" * 61)


def _document(session: Session, w: sw.World, referring_doctor_id: int | None = None) -> ReferralDocument:
    stored = referral_files.store(session=session, checked=validate(ReferralUpload("letter.pdf", PDF)))
    ref = Referral(patient_id=w.patient.id, referring_doctor_id=referring_doctor_id)
    session.add(ref)
    session.flush()
    doc = ReferralDocument(
        referral_id=ref.id,
        original_filename="letter.pdf",
        stored_name=stored.stored_name,
        content_type=stored.content_type,
        size_bytes=stored.size_bytes,
        sha256=stored.sha256,
    )
    session.add(doc)
    session.flush()
    return doc


def test_open_referral_document_is_authorised_and_audited(session: Session) -> None:
    w = sw.build(session)
    rd_user, rd = factories.referring_doctor(session)
    doc = _document(session, w, referring_doctor_id=rd.id)
    assert doc.id is not None
    for user in (w.patient_user, w.staff_user, w.admin, rd_user):
        got, path = open_referral_document(session=session, principal=w.principal(user), document_id=doc.id)
        assert got.id == doc.id and path.read_bytes() == PDF
    audits = session.exec(select(AuditLog).where(AuditLog.resource_type == "referral_document")).all()
    assert len([a for a in audits if a.resource_id == str(doc.id) and a.action == "download"]) == 4
    other_rd_user, _ = factories.referring_doctor(session)
    outsider = factories.staff(session, Role.CLINIC_STAFF, clinics=(factories.clinic(session),))
    analyst = factories.user(session, Role.ANALYTICS_STAFF)
    for user in (w.other_patient_user, other_rd_user, outsider, analyst):
        with pytest.raises(AccessDenied):
            open_referral_document(session=session, principal=w.principal(user), document_id=doc.id)
    with pytest.raises(AccessDenied) as e:
        open_referral_document(
            session=session, principal=w.principal(w.patient_user), document_id=doc.id + 999
        )
    assert e.value.code.code == "DASH_006"
