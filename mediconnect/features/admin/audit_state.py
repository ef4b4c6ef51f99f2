"""/admin/audit/ state: search the audit trail, page through it, export it, verify the chain.

The applied filters (pinned to the chain head the search started at) live in a backend var,
so "Next" and "Export CSV" use exactly what was searched, not whatever is typed in the form
since. Only the current page of rows reaches the browser; the export goes straight into a
download, never into state.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, date, datetime
from typing import Any

import reflex as rx

from mediconnect.features.kit.calls import client_ip, page_call
from mediconnect.features.kit.paging import PagedList
from mediconnect.features.shell.state import private_state
from mediconnect.services import audit_search
from mediconnect.services.admin_access import AdminFormError
from mediconnect.services.audit_search import AuditFilters, AuditPage, AuditRow, ChainCheck

PAGE_SIZE = 25
# The CSV travels to the browser inside one WebSocket message (rx.download of a data URL):
# about 250 bytes a row, so 20,000 rows is some 6 MB once base64-encoded.
EXPORT_LIMIT = 20_000
FILTER_FIELDS = ("user", "patient_id", "action", "date_from", "date_to")


def _text(form: dict[str, Any], name: str) -> str:
    value = form.get(name, "")
    return value if isinstance(value, str) else ""


def _pack(filters: AuditFilters) -> dict[str, Any]:
    data = asdict(filters)
    for name in ("date_from", "date_to"):
        data[name] = data[name].isoformat() if data[name] else None
    return data


def _unpack(data: dict[str, Any]) -> AuditFilters:
    if not data:
        return AuditFilters()
    values = dict(data)
    for name in ("date_from", "date_to"):
        values[name] = date.fromisoformat(values[name]) if values.get(name) else None
    return AuditFilters(**values)


@private_state
class AdminAuditState(PagedList, rx.State):
    loaded: bool = False
    rows: list[AuditRow] = []
    summary: str = ""
    errors: dict[str, str] = {}
    export_error: str = ""
    exporting: bool = False
    verifying: bool = False
    verified: bool = False
    chain_ok: bool = False
    chain_text: str = ""
    # Bumped by "Clear" to re-mount the filter form empty.
    version: int = 0
    _filters: dict[str, Any] = {}

    def _deny(self, outcome: Any):  # type: ignore[no-untyped-def]
        self.reset()
        return outcome.redirect

    async def _fetch(self, filters: AuditFilters | None = None, page: int | None = None):  # type: ignore[no-untyped-def]
        """One page of rows for ``filters`` (default: the ones last searched, at ``self.page``)."""
        filters = _unpack(self._filters) if filters is None else filters
        page = self.page if page is None else page
        ip = client_ip(self)

        def work(db, principal) -> AuditPage:  # type: ignore[no-untyped-def]
            return audit_search.search_audit(
                session=db, principal=principal, filters=filters, page=page, page_size=PAGE_SIZE, ip=ip
            )

        outcome = await page_call(self, work, on_denied="leave")
        if outcome.redirect is not None:
            return self._deny(outcome)
        if outcome.error:
            self.errors = outcome.errors or {"form": outcome.error}
            return None
        result = outcome.value
        assert result is not None
        self._filters = _pack(result.filters)
        self.rows = result.rows
        self._show_page(result.total, result.page, result.pages)
        self.summary = result.filters.describe()
        self.loaded = True
        return None

    @rx.event
    async def load(self):
        self.reset()
        return await self._fetch(AuditFilters(), 1)

    @rx.event
    async def search(self, form: dict[str, Any]):
        self.errors, self.export_error = {}, ""
        try:
            filters = audit_search.parse_filters(**{name: _text(form, name) for name in FILTER_FIELDS})
        except AdminFormError as exc:
            self.errors = exc.errors
            return None
        return await self._fetch(filters, 1)

    @rx.event
    async def clear(self):
        self.errors, self.export_error, self.version = {}, "", self.version + 1
        return await self._fetch(AuditFilters(), 1)

    @rx.event
    async def export_csv(self):
        filters, ip = _unpack(self._filters), client_ip(self)
        self.exporting, self.export_error = True, ""
        yield

        def work(db, principal) -> str:  # type: ignore[no-untyped-def]
            lines = audit_search.export_csv(
                session=db, principal=principal, filters=filters, ip=ip, limit=EXPORT_LIMIT
            )
            return "".join(lines)

        outcome = await page_call(self, work, on_denied="leave")
        self.exporting = False
        if outcome.redirect is not None:
            yield self._deny(outcome)
            return
        if outcome.error:
            self.export_error = outcome.error
            return
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        yield rx.download(data=outcome.value or "", filename=f"audit-log-{stamp}.csv", mime_type="text/csv")

    @rx.event
    async def verify(self):
        self.verifying, self.verified = True, False
        ip = client_ip(self)
        yield

        def work(db, principal) -> ChainCheck:  # type: ignore[no-untyped-def]
            return audit_search.verify(session=db, principal=principal, ip=ip)

        outcome = await page_call(self, work, on_denied="leave")
        self.verifying = False
        if outcome.redirect is not None:
            yield self._deny(outcome)
            return
        check = outcome.value
        assert check is not None
        self.verified, self.chain_ok = True, check["ok"]
        if check["ok"] and check["last_id"] is None:
            self.chain_text = "Chain intact: the audit log is empty."
        elif check["ok"]:
            self.chain_text = (
                f"Chain intact: {check['rows_checked']:,} rows checked, up to row {check['last_id']}."
            )
        else:
            self.chain_text = f"Chain broken at row {check['first_bad_id']}: {check['reason']}."
