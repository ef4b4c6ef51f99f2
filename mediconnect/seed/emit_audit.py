"""The audit trail for the recent past (the login window): every report view or download, and
each doctor opening the patient's record when a visit starts, chained with core.audit's hash so
that `verify_chain` accepts the seeded rows and later appends continue the chain."""

from __future__ import annotations

from mediconnect.core.audit import GENESIS_HASH, canonical_json, compute_hash
from mediconnect.seed.clock import MINUTE, dt
from mediconnect.seed.emit_appointments import chunks
from mediconnect.seed.emit_reports import accesses
from mediconnect.seed.emitters import Rows, emits
from mediconnect.seed.world import World


def _events(w: World) -> list[tuple[int, int, str, str, int, str, str, str | None]]:
    """(when, user id, role, action, patient id, resource type, resource id, ip), oldest first."""
    since = w.now - w.scale.login_window_days * 86_400
    role = {u.id: u.role for u in w.users}
    doctor_user = [0] + [d.user.id for d in w.doctors]
    out = [
        (t, user, role.get(user, "patient"), action, patient, "report", str(report), address)
        for report, user, action, address, _agent, t, patient in accesses(w)
        if t >= since
    ]
    for _a, rows in chunks(w.appts, ("started", "doctor", "patient")):
        for started, doctor, patient in rows:
            if started >= since:
                out.append(
                    (
                        started + MINUTE,
                        doctor_user[doctor],
                        "doctor",
                        "view",
                        patient,
                        "patient",
                        str(patient),
                        None,
                    )
                )
    out.sort()
    return out


@emits(
    "audit_log",
    "id occurred_at user_id role action patient_id resource_type resource_id ip_address detail "
    "prev_hash row_hash",
)
def audit_log(w: World) -> Rows:
    prev = GENESIS_HASH
    for n, (t, user, role, action, patient, rtype, rid, address) in enumerate(_events(w), start=1):
        at = dt(t)
        fields = {
            "occurred_at": at,
            "user_id": user,
            "role": role,
            "action": action,
            "patient_id": patient,
            "resource_type": rtype,
            "resource_id": rid,
            "ip_address": address,
            "detail": None,
        }
        row_hash = compute_hash(prev, canonical_json(fields))
        yield (n, at, user, role, action, patient, rtype, rid, address, None, prev, row_hash)
        prev = row_hash
