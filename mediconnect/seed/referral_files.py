"""Real files behind the seeded referral documents (tiny and demo scales).

Each seeded document gets a small generated file under the upload directory, named as its row
says, and the row's size and sha256 are set from that file, so a demo user who opens a
referral gets a document, exactly as for one uploaded through the booking page. PDFs carry one
page saying which demo document they are; images are a small grey PNG (a seeded ".jpg" becomes
a ".png", since we write no JPEG encoder). Nothing in them names a person.
"""

from __future__ import annotations

import hashlib
import struct
import zlib
from pathlib import Path

import sqlalchemy as sa

from mediconnect.services.referral_files import storage_dir


def pdf_bytes(doc_id: int, title: str) -> bytes:
    text = f"{title} - MediConnect demo document {doc_id}".replace("(", "[").replace(")", "]")
    stream = f"BT /F1 14 Tf 72 770 Td ({text}) Tj ET".encode()
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>",
        b"<</Length %d>>stream\n" % len(stream) + stream + b"\nendstream",
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def png_bytes(doc_id: int, size: int = 48) -> bytes:
    shade = 96 + doc_id % 96
    raw = b"".join(b"\x00" + bytes([shade]) * size for _ in range(size))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", size, size, 8, 0, 0, 0, 0)  # 8-bit greyscale
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def materialise(engine: sa.Engine) -> int:
    """Write every live seeded document's file and record its real size and hash."""
    docs = sa.table(
        "referral_documents",
        sa.column("id"), sa.column("stored_name"), sa.column("content_type"), sa.column("original_filename"),
        sa.column("size_bytes"), sa.column("sha256"), sa.column("deleted_at"),
    )  # fmt: skip
    folder: Path = storage_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    updates = []
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(docs.c.id, docs.c.stored_name, docs.c.content_type, docs.c.original_filename).where(
                docs.c.deleted_at.is_(None)
            )
        ).all()
    for doc_id, stored, ctype, name in rows:
        if ctype == "application/pdf":
            data, new_type, new_name = pdf_bytes(doc_id, Path(name).stem.replace("_", " ")), ctype, name
        else:
            data, new_type, new_name = png_bytes(doc_id), "image/png", f"{Path(name).stem}.png"
        (folder / stored).write_bytes(data)
        updates.append(
            {"i": doc_id, "s": len(data), "h": hashlib.sha256(data).hexdigest(), "t": new_type, "n": new_name}
        )
    if updates:
        with engine.begin() as conn:
            conn.execute(
                sa.update(docs)
                .where(docs.c.id == sa.bindparam("i"))
                .values(
                    size_bytes=sa.bindparam("s"),
                    sha256=sa.bindparam("h"),
                    content_type=sa.bindparam("t"),
                    original_filename=sa.bindparam("n"),
                ),
                updates,
            )
    return len(updates)
