"""The billing pages in a real browser: /billing/invoices/, an invoice, a receipt, claims.

Billing staff find an open invoice, record a part payment and then the rest (a wrong amount
first: the message says what is wrong and nothing is recorded), see the invoice paid and open
its receipt. On an invoice with a medical aid portion they submit the claim, record the
scheme's partial approval and then its payment. A second tab on the same invoice sees each
payment without reloading. The database agrees with what the pages show. Patients see their
own invoices with receipt links; other roles are sent away.
Screenshots at 1280x800 and 768x1024 go to test-artifacts/.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import Session, col, select

from mediconnect.core.db import make_engine
from mediconnect.models.billing import (
    Claim,
    ClaimStatus,
    Invoice,
    InvoiceStatus,
    Payment,
    PaymentMethod,
    PaymentStatus,
)
from mediconnect.seed.demo_accounts import DEMO_BY_ROLE, DEMO_PASSWORD
from tests.browser.tabs import WAIT_MS

pytestmark = pytest.mark.browser

WIDE = {"width": 1280, "height": 800}
TALL = {"width": 768, "height": 1024}
BILLING = DEMO_BY_ROLE["billing_staff"]
PATIENT = DEMO_BY_ROLE["patient"]
DOCTOR = DEMO_BY_ROLE["doctor"]


class Db:
    """Short reads of the running app's database. Each is its own transaction, ended at once:
    on SQLite a transaction takes the write lock, and an open one would stall the app."""

    def __init__(self, url: str) -> None:
        self.engine = make_engine(url)

    def read(self, fn):  # type: ignore[no-untyped-def]
        with Session(self.engine, expire_on_commit=False) as session:
            value = fn(session)
            session.expunge_all()
            session.rollback()
            return value


@pytest.fixture
def db(app_database_url: str) -> Iterator[Db]:
    database = Db(app_database_url)
    yield database
    database.engine.dispose()


@pytest.fixture
def pages(browser: Browser) -> Iterator[list[Page]]:
    opened: list[Page] = []
    yield opened
    for page in opened:
        page.close()


def open_tab(pages: list[Page], browser: Browser, viewport: dict[str, int]) -> Page:
    page = browser.new_page(viewport=viewport)
    pages.append(page)
    return page


def sign_in_to(page: Page, base: str, path: str, email: str) -> None:
    page.goto(f"{base}/login/?next={path}", wait_until="networkidle")
    page.locator("#email").fill(email)
    page.locator("#password").fill(DEMO_PASSWORD)
    page.get_by_role("form", name="Sign in").get_by_role("button").last.click()
    expect(page).to_have_url(re.compile("^" + re.escape(base + path) + "$"), timeout=WAIT_MS)


def shot(page: Page, artifacts: Path, name: str) -> None:
    size = page.viewport_size or WIDE
    page.wait_for_timeout(300)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=artifacts / f"billing-{name}-{size['width']}x{size['height']}.png", full_page=True)


def no_page_scroll(page: Page) -> None:
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"page wider than the viewport: {widths}"


def rand(amount: Decimal) -> str:
    return f"R{amount:,.2f}".replace(",", "\u00a0")


def open_invoice(db: Db, *, claimable: bool) -> Invoice:
    """An unpaid invoice of the seed with a patient portion over R2, nothing paid or claimed
    yet: with a medical aid portion if ``claimable``, else a private one (the patient pays
    it all, so paying the patient's part makes it paid)."""
    query = select(Invoice).where(
        Invoice.status == InvoiceStatus.SENT,
        col(Invoice.amount_paid) == 0,
        col(Invoice.patient_portion) > 2,
        ~col(Invoice.id).in_(select(col(Payment.invoice_id)).where(col(Payment.invoice_id).is_not(None))),
        ~col(Invoice.id).in_(select(col(Claim.invoice_id)).where(col(Claim.invoice_id).is_not(None))),
    )
    query = query.where(
        col(Invoice.medical_aid_portion) > 2 if claimable else col(Invoice.medical_aid_portion) == 0
    )
    invoice = db.read(lambda s: s.exec(query.order_by(col(Invoice.id).desc())).first())
    assert invoice is not None, "the tiny seed has no open invoice to pay"
    return invoice


def record_payment(page: Page, amount: str, method: str, reference: str = "") -> None:
    dialog = page.get_by_role("dialog")
    if dialog.count() == 0:
        page.get_by_role("button", name="Record payment").click()
    dialog.locator("#amount-input").fill(amount)
    dialog.locator("#pay-method").click()
    page.get_by_role("option", name=method, exact=True).click()
    dialog.locator("#reference-input").fill(reference)
    dialog.get_by_role("button", name="Save payment").click()


@pytest.mark.parametrize("viewport", [WIDE, TALL], ids=["1280x800", "768x1024"])
def test_billing_staff_take_part_payments_until_paid_and_print_the_receipt(
    browser: Browser,
    running_app: str,
    pages: list[Page],
    db: Db,
    artifacts: Path,
    viewport: dict[str, int],
) -> None:
    invoice = open_invoice(db, claimable=False)
    due = invoice.patient_portion
    first = (due / 2).quantize(Decimal("0.01"))
    rest = due - first
    page = open_tab(pages, browser, viewport)
    sign_in_to(page, running_app, "/billing/invoices/", BILLING.email)
    expect(page.get_by_role("heading", name="Invoices", exact=True)).to_be_visible()
    expect(page.get_by_test_id("invoice-row").first).to_be_visible(timeout=WAIT_MS)
    expect(page.get_by_test_id("sum-outstanding")).to_contain_text("R")
    no_page_scroll(page)
    shot(page, artifacts, "invoices")

    # Search by invoice number: just that invoice, and it opens.
    page.locator("#invoice-search").fill(invoice.number)
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_test_id("invoice-row")).to_have_count(1)
    expect(page.get_by_test_id("pager-status")).to_have_text("1 invoice · page 1 of 1")
    page.get_by_role("link", name=invoice.number).click()
    expect(page).to_have_url(re.compile(rf"/billing/invoices/{invoice.id}/$"))
    expect(page.get_by_test_id("invoice-number")).to_have_text(invoice.number)
    expect(page.get_by_test_id("invoice-balance")).to_have_text(rand(due))
    expect(page.get_by_test_id("no-payments")).to_be_visible()

    # A second desk has the same invoice open: it follows every payment without reloading.
    other = open_tab(pages, browser, WIDE)
    sign_in_to(other, running_app, f"/billing/invoices/{invoice.id}/", BILLING.email)
    expect(other.get_by_test_id("invoice-balance")).to_have_text(rand(due))

    # Too much: refused with the balance named, nothing recorded.
    record_payment(page, str(due + 1), "Cash")
    expect(page.get_by_role("dialog").get_by_test_id("amount-error")).to_contain_text(
        f"The balance due is {due}"
    )
    # A bank transfer needs its reference.
    record_payment(page, str(first), "Bank transfer")
    expect(page.get_by_role("dialog").get_by_test_id("reference-error")).to_contain_text("reference")
    shot(page, artifacts, "payment-errors")
    page.get_by_role("dialog").get_by_role("button", name="Cancel").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    assert db.read(lambda s: s.exec(select(Payment).where(Payment.invoice_id == invoice.id)).all()) == []

    # Part payment by card, then the rest in cash.
    record_payment(page, str(first), "Card", f"SLIP-{uuid.uuid4().hex[:8]}")
    expect(page.get_by_test_id("invoice-notice")).to_contain_text(f"Payment of {rand(first)} recorded")
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(page.get_by_test_id("invoice-status")).to_have_text("Partially paid")
    expect(page.get_by_test_id("invoice-balance")).to_have_text(rand(rest))
    expect(other.get_by_test_id("invoice-balance")).to_have_text(rand(rest), timeout=WAIT_MS)
    record_payment(page, str(rest), "Cash")
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(page.get_by_test_id("invoice-balance")).to_have_text("R0.00")
    expect(page.get_by_test_id("payment-row")).to_have_count(2)
    expect(other.get_by_test_id("payment-row")).to_have_count(2, timeout=WAIT_MS)
    expect(page.get_by_role("button", name="Record payment")).to_have_count(0)
    no_page_scroll(page)
    shot(page, artifacts, "invoice-paid")

    paid = db.read(
        lambda s: s.exec(
            select(Payment).where(Payment.invoice_id == invoice.id).order_by(col(Payment.id))
        ).all()
    )
    assert [(p.amount, p.method, p.status) for p in paid] == [
        (first, PaymentMethod.CARD, PaymentStatus.COMPLETED),
        (rest, PaymentMethod.CASH, PaymentStatus.COMPLETED),
    ]
    refreshed = db.read(lambda s: s.get(Invoice, invoice.id))
    assert refreshed is not None and refreshed.amount_paid == due
    assert refreshed.status is InvoiceStatus.PAID
    expect(page.get_by_test_id("invoice-status")).to_have_text("Paid")
    expect(other.get_by_test_id("invoice-status")).to_have_text("Paid", timeout=WAIT_MS)

    # The receipt of the cash payment: practice, patient, amount, number.
    receipt_link = f"Receipt {paid[1].receipt_number}"
    page.get_by_role("link", name=receipt_link).click()
    expect(page).to_have_url(re.compile(rf"/billing/receipts/{paid[1].id}/$"))
    expect(page.get_by_test_id("receipt-number")).to_have_text(str(paid[1].receipt_number))
    expect(page.get_by_test_id("receipt-amount")).to_have_text(rand(rest))
    expect(page.get_by_test_id("receipt-invoice")).to_have_text(invoice.number)
    expect(page.get_by_test_id("receipt-balance")).to_have_text("R0.00")
    expect(page.get_by_test_id("receipt")).to_contain_text("MediConnect")
    no_page_scroll(page)
    shot(page, artifacts, "receipt")

    # Refund R10.00 of the card payment: more than was paid is refused, a reason is needed;
    # then the invoice is partly paid again and the refund is listed with its reason.
    page.go_back(wait_until="networkidle")
    card = page.get_by_test_id("payment-row").first
    card.get_by_role("button", name="Refund").click()
    dialog = page.get_by_role("dialog")
    dialog.locator("#amount-input").fill(str(first + 1))
    dialog.locator("#reason-input").fill("")
    dialog.get_by_role("button", name="Save refund").click()
    expect(dialog.get_by_test_id("reason-error")).to_contain_text("Say why")
    dialog.locator("#reason-input").fill("Scan shortened by the clinic")
    dialog.get_by_role("button", name="Save refund").click()
    expect(dialog.get_by_test_id("amount-error")).to_contain_text(f"At most {first}")
    dialog.locator("#amount-input").fill("10.00")
    dialog.get_by_role("button", name="Save refund").click()
    expect(page.get_by_test_id("invoice-notice")).to_contain_text("Refund of R10.00 recorded")
    expect(page.get_by_test_id("refund-row")).to_contain_text("Scan shortened by the clinic")
    expect(page.get_by_test_id("invoice-balance")).to_have_text("R10.00")
    expect(page.get_by_test_id("invoice-status")).to_have_text("Partially paid")
    expect(other.get_by_test_id("invoice-balance")).to_have_text("R10.00", timeout=WAIT_MS)


def test_billing_staff_submit_a_claim_record_the_decision_and_the_schemes_payment(
    browser: Browser, running_app: str, pages: list[Page], db: Db, artifacts: Path
) -> None:
    invoice = open_invoice(db, claimable=True)
    aid = invoice.medical_aid_portion
    approved = (aid - Decimal("1.00")).quantize(Decimal("0.01"))
    page = open_tab(pages, browser, WIDE)
    sign_in_to(page, running_app, f"/billing/invoices/{invoice.id}/", BILLING.email)
    panel = page.get_by_test_id("claim-panel")
    expect(panel).to_contain_text("No claim yet")
    panel.get_by_role("button", name="Submit claim").click()
    expect(page.get_by_test_id("invoice-notice")).to_contain_text("Claim submitted")
    expect(panel.get_by_test_id("claim-status")).to_have_text("Submitted")
    expect(panel.get_by_test_id("claim-claimed")).to_have_text(rand(aid))

    # The decision: more than claimed is refused; then a partial approval.
    panel.get_by_role("button", name="Record decision").click()
    dialog = page.get_by_role("dialog")
    dialog.locator("#approved_amount-input").fill(str(aid + 10))
    dialog.get_by_role("button", name="Save decision").click()
    expect(dialog.get_by_test_id("approved_amount-error")).to_contain_text("cannot exceed")
    shot(page, artifacts, "claim-decision-error")
    dialog.locator("#approved_amount-input").fill(str(approved))
    dialog.get_by_role("button", name="Save decision").click()
    expect(panel.get_by_test_id("claim-status")).to_have_text("Partially approved")
    expect(panel.get_by_test_id("claim-approved")).to_have_text(rand(approved))
    # The R1.00 the scheme will not pay is now the patient's.
    expect(page.get_by_test_id("invoice-patient-portion")).to_have_text(rand(invoice.patient_portion + 1))

    # The scheme pays what it approved.
    panel.get_by_role("button", name="Mark claim paid").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("button", name="Save remittance").click()
    expect(panel.get_by_test_id("claim-status")).to_have_text("Paid")
    expect(page.get_by_test_id("invoice-aid-paid")).to_have_text(rand(approved))
    shot(page, artifacts, "claim-paid")

    claim = db.read(lambda s: s.exec(select(Claim).where(Claim.invoice_id == invoice.id)).one())
    assert (
        claim.status is ClaimStatus.PAID
        and claim.approved_amount == approved
        and claim.paid_amount == approved
    )

    # The claims list shows it.
    page.goto(f"{running_app}/billing/claims/", wait_until="networkidle")
    page.locator("#claim-status-filter").click()
    page.get_by_role("option", name="Paid", exact=True).click()
    row = page.get_by_test_id("claim-row").filter(has_text=claim.claim_number)
    expect(row).to_be_visible()
    expect(row).to_contain_text(rand(approved))
    no_page_scroll(page)
    shot(page, artifacts, "claims")


def test_patients_see_their_own_invoices_and_others_are_sent_away(
    browser: Browser, running_app: str, pages: list[Page], db: Db, artifacts: Path
) -> None:
    page = open_tab(pages, browser, TALL)
    sign_in_to(page, running_app, "/billing/my-invoices/", PATIENT.email)
    expect(page.get_by_role("heading", name="My invoices")).to_be_visible()
    expect(page.get_by_test_id("my-invoice").first).to_be_visible(timeout=WAIT_MS)
    no_page_scroll(page)
    shot(page, artifacts, "my-invoices")
    # A patient opening the staff list is sent to their dashboard, with no invoice data.
    page.goto(f"{running_app}/billing/invoices/", wait_until="networkidle")
    expect(page).to_have_url(re.compile(r"/dashboard/$"), timeout=WAIT_MS)
    expect(page.get_by_test_id("invoice-row")).to_have_count(0)

    doctor = open_tab(pages, browser, WIDE)
    # Signed in where a doctor lands: /dashboard/ passes a doctor on at once, so whether a wait for
    # /dashboard/ itself saw it depended on timing.
    sign_in_to(doctor, running_app, "/dashboard/doctor/", DOCTOR.email)
    invoice = db.read(lambda s: s.exec(select(Invoice).order_by(col(Invoice.id))).first())
    assert invoice is not None
    doctor.goto(f"{running_app}/billing/invoices/{invoice.id}/", wait_until="networkidle")
    expect(doctor).to_have_url(re.compile(r"/dashboard/"), timeout=WAIT_MS)
    expect(doctor.get_by_test_id("invoice-number")).to_have_count(0)
