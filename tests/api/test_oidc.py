"""Sign in with OpenID Connect, end to end against a real provider on loopback.

The app (``create_api()``) is reached through httpx.ASGITransport at http://testserver; the
provider (tests/support/oidc_provider.py) is a real HTTP server on 127.0.0.1, which the app's
Authlib client calls for discovery, JWKS and the code exchange. One httpx client with a cookie
jar plays the browser, following redirects between the two.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import httpx
import pytest
from joserfc.jwk import RSAKey
from sqlmodel import Session, col, func, select

from mediconnect.api import oidc
from mediconnect.api.router import create_api
from mediconnect.core import signing
from mediconnect.core.settings import get_settings
from mediconnect.models.audit import AuditLog
from mediconnect.models.base import utcnow
from mediconnect.models.users import LoginAttempt, LoginOutcome, OAuthIdentity, Role, User, UserSession
from mediconnect.services import sso
from tests.api.conftest import run
from tests.support.oidc_provider import OidcProvider, ProviderUser

APP = "http://testserver"


@pytest.fixture
def provider(monkeypatch: pytest.MonkeyPatch) -> Iterator[OidcProvider]:
    with OidcProvider(redirect_uris=(APP + sso.CALLBACK_PATH,)) as p:
        settings = get_settings()
        monkeypatch.setattr(settings, "PUBLIC_URL", APP)
        monkeypatch.setattr(settings, "OIDC_ISSUER", p.issuer)
        monkeypatch.setattr(settings, "OIDC_CLIENT_ID", p.client_id)
        monkeypatch.setattr(
            settings, "OIDC_CLIENT_SECRET", type(settings.OIDC_CLIENT_SECRET)(p.client_secret)
        )
        monkeypatch.setattr(settings, "OIDC_PROVIDER_NAME", "Test IdP")
        yield p


class Browser:
    """One browser (cookie jar) and one tab (a Reflex client token)."""

    def __init__(self, client_token: str = "tab-token-0001") -> None:
        self.client_token = client_token
        self.cookies = httpx.Cookies()
        self.visited: list[str] = []

    def press_sign_in_button(self, *, value: str | None = None) -> None:
        """What LoginState.start_sso + its script do: the signed binding into the cookie."""
        self.cookies.set(
            sso.BIND_COOKIE,
            value or sso.bind_tab(self.client_token),
            # http.cookiejar files a dotless host such as "testserver" under "<host>.local".
            domain="testserver.local",
            path=sso.OIDC_PATH,
        )

    def follow(self, url: str) -> httpx.Response:
        """Load ``url`` and follow redirects until the flow lands on a page of the app."""

        async def go() -> httpx.Response:
            mounts = {APP: httpx.ASGITransport(app=create_api(), client=("198.51.100.9", 4000))}
            async with httpx.AsyncClient(mounts=mounts, cookies=self.cookies, timeout=10) as client:
                response = await client.get(url)
                for _ in range(10):
                    self.visited.append(str(response.url))
                    if response.status_code not in (302, 303, 307):
                        break
                    target = urljoin(str(response.url), response.headers["location"])
                    if target.startswith(APP) and not urlsplit(target).path.startswith("/api/"):
                        break  # back on a page of the app: the browser would render it
                    response = await client.get(target)
                self.cookies = client.cookies
                return response

        return run(go)

    def sign_in(self) -> httpx.Response:
        return self.follow(APP + sso.START_PATH)


def landed(response: httpx.Response) -> str:
    assert response.status_code in (302, 303), response.text
    return response.headers["location"]


def make_account(
    api_db: Callable[[], Session], email: str, *, role: Role = Role.DOCTOR, active: bool = True
) -> User:
    with api_db() as s:
        user = User(email=email, role=role, first_name="Sipho", last_name="Dlamini", is_active=active)
        s.add(user)
        s.commit()
        return user


def sessions_of(api_db: Callable[[], Session], client_token: str) -> list[UserSession]:
    with api_db() as s:
        return list(
            s.exec(
                select(UserSession).where(
                    UserSession.client_token == client_token, col(UserSession.ended_at).is_(None)
                )
            ).all()
        )


def oidc_attempts(api_db: Callable[[], Session]) -> list[LoginAttempt]:
    with api_db() as s:
        return list(
            s.exec(
                select(LoginAttempt).where(LoginAttempt.method == "oidc").order_by(col(LoginAttempt.id))
            ).all()
        )


# --------------------------------------------------------------------------- success


def test_sign_in_links_by_verified_email_and_opens_the_tabs_session(
    provider: OidcProvider, api_db: Callable[[], Session]
) -> None:
    user = make_account(api_db, "sipho.dlamini@clinic.example")
    provider.user = ProviderUser(subject="idp-123", email="Sipho.Dlamini@clinic.example")
    browser = Browser("tab-success")
    browser.press_sign_in_button()

    response = browser.sign_in()

    assert landed(response) == "/dashboard/"
    # The provider saw a proper code flow with PKCE and a nonce, and the code was exchanged.
    [authz] = provider.authorize_requests
    assert authz["response_type"] == "code" and authz["code_challenge_method"] == "S256"
    assert authz["nonce"] and authz["state"] and authz["redirect_uri"] == APP + sso.CALLBACK_PATH
    assert "openid" in authz["scope"].split() and "email" in authz["scope"].split()
    [exchange] = provider.token_requests
    assert exchange["code_verifier"] and "client_secret" not in exchange  # secret went in the header
    # The session belongs to the tab that pressed the button, and to the linked account.
    [session_row] = sessions_of(api_db, "tab-success")
    assert session_row.user_id == user.id and session_row.ip_address == "198.51.100.9"
    with api_db() as s:
        link = s.exec(select(OAuthIdentity).where(OAuthIdentity.user_id == user.id)).one()
        assert (link.issuer, link.subject, link.email) == (
            provider.issuer,
            "idp-123",
            "sipho.dlamini@clinic.example",
        )
        refreshed = s.get(User, user.id)
        assert refreshed is not None and refreshed.last_login_at is not None
        audit_rows = s.exec(select(AuditLog).where(AuditLog.user_id == user.id)).all()
        assert {(r.action, r.resource_type) for r in audit_rows} == {
            ("create", "oauth_identity"),
            ("login", "user_session"),
        }
    [attempt] = oidc_attempts(api_db)
    assert (attempt.user_id, attempt.success, attempt.outcome) == (user.id, True, LoginOutcome.SUCCESS)
    # The flow's cookies are gone.
    assert sso.BIND_COOKIE not in browser.cookies and oidc.FLOW_COOKIE not in browser.cookies


def test_later_sign_ins_match_by_subject_even_after_an_email_change(
    provider: OidcProvider, api_db: Callable[[], Session]
) -> None:
    user = make_account(api_db, "n.moyo@clinic.example")
    provider.user = ProviderUser(subject="idp-777", email="n.moyo@clinic.example")
    first = Browser("tab-a")
    first.press_sign_in_button()
    assert landed(first.sign_in()) == "/dashboard/"

    provider.user = ProviderUser(
        subject="idp-777", email="new.address@elsewhere.example", email_verified=False
    )
    second = Browser("tab-b")
    second.press_sign_in_button()

    assert landed(second.sign_in()) == "/dashboard/"
    assert [s.user_id for s in sessions_of(api_db, "tab-b")] == [user.id]
    with api_db() as s:
        assert (
            s.exec(
                select(func.count()).select_from(OAuthIdentity).where(OAuthIdentity.user_id == user.id)
            ).one()
            == 1
        )


def test_a_new_sign_in_replaces_the_tabs_previous_session(
    provider: OidcProvider, api_db: Callable[[], Session]
) -> None:
    make_account(api_db, "repeat@clinic.example")
    provider.user = ProviderUser(subject="idp-rep", email="repeat@clinic.example")
    browser = Browser("tab-repeat")
    for _ in range(2):
        browser.press_sign_in_button()
        assert landed(browser.sign_in()) == "/dashboard/"

    assert len(sessions_of(api_db, "tab-repeat")) == 1


# --------------------------------------------------------------------------- account refusals


def assert_refused(response: httpx.Response, reason: sso.SsoRefusal) -> None:
    assert landed(response) == f"/login/?reason={reason.value}"


def test_unverified_email_is_refused(provider: OidcProvider, api_db: Callable[[], Session]) -> None:
    user = make_account(api_db, "unverified@clinic.example")
    provider.user = ProviderUser(subject="idp-u", email="unverified@clinic.example", email_verified=False)
    browser = Browser("tab-unverified")
    browser.press_sign_in_button()

    assert_refused(browser.sign_in(), sso.SsoRefusal.UNVERIFIED)
    assert sessions_of(api_db, "tab-unverified") == []
    with api_db() as s:
        assert s.exec(select(OAuthIdentity).where(OAuthIdentity.user_id == user.id)).first() is None
    [attempt] = oidc_attempts(api_db)
    assert (attempt.success, attempt.outcome, attempt.email) == (
        False,
        LoginOutcome.SUSPICIOUS,
        "unverified@clinic.example",
    )


def test_unknown_email_is_refused_and_creates_nobody(
    provider: OidcProvider, api_db: Callable[[], Session]
) -> None:
    provider.user = ProviderUser(subject="idp-x", email="stranger@elsewhere.example")
    browser = Browser("tab-unknown")
    browser.press_sign_in_button()
    with api_db() as s:
        users_before = s.exec(select(func.count()).select_from(User)).one()

    assert_refused(browser.sign_in(), sso.SsoRefusal.NO_ACCOUNT)
    with api_db() as s:
        assert s.exec(select(func.count()).select_from(User)).one() == users_before
        assert s.exec(select(OAuthIdentity).where(OAuthIdentity.subject == "idp-x")).first() is None
    assert sessions_of(api_db, "tab-unknown") == []
    [attempt] = oidc_attempts(api_db)
    assert attempt.outcome is LoginOutcome.UNKNOWN_USER
    assert sso.message_for("oidc_no_account") and "no MediConnect account" in sso.message_for(
        "oidc_no_account"
    )  # type: ignore[operator]


def test_deactivated_account_is_refused(provider: OidcProvider, api_db: Callable[[], Session]) -> None:
    make_account(api_db, "gone@clinic.example", active=False)
    provider.user = ProviderUser(subject="idp-g", email="gone@clinic.example")
    browser = Browser("tab-gone")
    browser.press_sign_in_button()

    assert_refused(browser.sign_in(), sso.SsoRefusal.INACTIVE)
    assert sessions_of(api_db, "tab-gone") == []
    assert oidc_attempts(api_db)[-1].outcome is LoginOutcome.INACTIVE


def test_an_account_linked_to_another_subject_is_not_relinked_by_email(
    provider: OidcProvider, api_db: Callable[[], Session]
) -> None:
    user = make_account(api_db, "recycled@clinic.example")
    with api_db() as s:
        s.add(OAuthIdentity(user_id=user.id, issuer=provider.issuer, subject="original-owner"))
        s.commit()
    provider.user = ProviderUser(subject="new-holder-of-the-address", email="recycled@clinic.example")
    browser = Browser("tab-recycled")
    browser.press_sign_in_button()

    assert_refused(browser.sign_in(), sso.SsoRefusal.CONFLICT)
    assert sessions_of(api_db, "tab-recycled") == []


# --------------------------------------------------------------------------- protocol refusals


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param({"signing_key": "other"}, id="bad-signature"),
        pytest.param({"aud": "someone-else"}, id="wrong-audience"),
        pytest.param({"aud": ["someone-else"], "azp": "mediconnect-test"}, id="audience-only-in-azp"),
        pytest.param({"nonce": "not-the-nonce"}, id="wrong-nonce"),
        pytest.param({"nonce": None}, id="no-nonce"),
        pytest.param({"iss": "http://127.0.0.1:1"}, id="wrong-issuer"),
        pytest.param({"exp": "past"}, id="expired"),
        pytest.param({"at_hash": "AAAAAAAAAAAAAAAAAAAAAA"}, id="wrong-at-hash"),
    ],
)
def test_an_id_token_that_does_not_verify_is_refused(
    tamper: dict[str, Any], provider: OidcProvider, api_db: Callable[[], Session]
) -> None:
    make_account(api_db, "target@clinic.example")
    provider.user = ProviderUser(subject="idp-t", email="target@clinic.example")
    overrides = dict(tamper)
    if overrides.pop("signing_key", None):
        provider.signing_key = RSAKey.generate_key(2048, parameters={"kid": provider.key.kid or "test-key-1"})
    if overrides.get("exp") == "past":
        overrides["exp"] = int((utcnow() - timedelta(minutes=10)).timestamp())
        overrides["iat"] = overrides["exp"] - 300
    provider.id_token_overrides = overrides
    browser = Browser("tab-forged")
    browser.press_sign_in_button()

    assert_refused(browser.sign_in(), sso.SsoRefusal.FAILED)
    assert provider.issued_id_tokens, "the refusal must come from checking the id_token"
    assert sessions_of(api_db, "tab-forged") == []
    with api_db() as s:
        assert s.exec(select(OAuthIdentity).where(OAuthIdentity.subject == "idp-t")).first() is None
    [attempt] = oidc_attempts(api_db)
    assert (attempt.success, attempt.outcome, attempt.user_id) == (False, LoginOutcome.SUSPICIOUS, None)


def test_start_without_the_tabs_binding_is_refused(
    provider: OidcProvider, api_db: Callable[[], Session]
) -> None:
    """A link to the start route (made by anyone) carries no binding cookie."""
    provider.user = ProviderUser(subject="idp-s", email="s@clinic.example")
    bare = Browser("tab-bare")
    forged = Browser("tab-forged-binding")
    forged.press_sign_in_button(
        value=signing.sign(
            {"ct": "victim-tab"},
            purpose="oidc-bind",
            ttl=timedelta(minutes=5),
            secret="not-our-secret-key-at-all",
        )
    )
    expired = Browser("tab-expired")
    expired.press_sign_in_button(value=sso.bind_tab("tab-expired", now=utcnow() - timedelta(minutes=6)))
    wrong_purpose = Browser("tab-wrong-purpose")
    wrong_purpose.press_sign_in_button(
        value=signing.sign({"ct": "tab-wrong-purpose"}, purpose="oidc-flow", ttl=timedelta(minutes=5))
    )

    for browser in (bare, forged, expired, wrong_purpose):
        assert_refused(browser.sign_in(), sso.SsoRefusal.UNBOUND)
    assert provider.authorize_requests == []  # never sent to the provider
    # Anonymous hits on the start route write nothing (no amplification); they are only logged.
    assert oidc_attempts(api_db) == []


def test_a_start_link_from_someone_elses_tab_signs_nobody_in(
    provider: OidcProvider, api_db: Callable[[], Session]
) -> None:
    """The attacker presses the button in their tab and sends the victim the resulting URLs:
    neither the start link nor the provider's authorization link carries the binding."""
    make_account(api_db, "victim@clinic.example")
    provider.user = ProviderUser(subject="idp-victim", email="victim@clinic.example")
    attacker = Browser("attacker-tab")
    attacker.press_sign_in_button()
    victim = Browser("victim-tab")

    assert_refused(victim.sign_in(), sso.SsoRefusal.UNBOUND)

    # Even the authorization URL the attacker's own start produced does not help: the callback
    # lands in the victim's browser, which lacks the attacker's flow cookie (state mismatch).
    async def attacker_start() -> str:
        mounts = {APP: httpx.ASGITransport(app=create_api())}
        async with httpx.AsyncClient(mounts=mounts, cookies=attacker.cookies) as client:
            response = await client.get(APP + sso.START_PATH)
            return response.headers["location"]

    authorize_url = run(attacker_start)
    assert_refused(victim.follow(authorize_url), sso.SsoRefusal.UNBOUND)
    assert sessions_of(api_db, "attacker-tab") == [] and sessions_of(api_db, "victim-tab") == []


def test_callback_with_a_state_from_another_flow_is_refused(
    provider: OidcProvider, api_db: Callable[[], Session]
) -> None:
    make_account(api_db, "state@clinic.example")
    provider.user = ProviderUser(subject="idp-state", email="state@clinic.example")
    mine, theirs = Browser("tab-mine"), Browser("tab-theirs")
    for b in (mine, theirs):
        b.press_sign_in_button()

    async def authorize_location(browser: Browser) -> str:
        mounts = {APP: httpx.ASGITransport(app=create_api())}
        async with httpx.AsyncClient(mounts=mounts, cookies=browser.cookies) as client:
            start = await client.get(APP + sso.START_PATH)
            browser.cookies = client.cookies
            back = await client.get(start.headers["location"])  # the provider approves
            return back.headers["location"]

    their_callback = run(lambda: authorize_location(theirs))
    run(lambda: authorize_location(mine))  # my browser now holds a flow cookie of its own

    assert_refused(mine.follow(their_callback), sso.SsoRefusal.FAILED)
    assert sessions_of(api_db, "tab-mine") == [] and sessions_of(api_db, "tab-theirs") == []


def test_provider_denial_is_refused(provider: OidcProvider, api_db: Callable[[], Session]) -> None:
    provider.user = None  # the provider answers error=access_denied
    browser = Browser("tab-denied")
    browser.press_sign_in_button()

    assert_refused(browser.sign_in(), sso.SsoRefusal.FAILED)
    assert provider.token_requests == []


def test_discovery_naming_another_issuer_disables_sign_in(provider: OidcProvider) -> None:
    provider.advertised_issuer = "https://impostor.example"
    browser = Browser("tab-mixup")
    browser.press_sign_in_button()

    assert_refused(browser.sign_in(), sso.SsoRefusal.UNAVAILABLE)
    assert provider.authorize_requests == []


def test_not_configured(monkeypatch: pytest.MonkeyPatch, api_db: Callable[[], Session]) -> None:
    monkeypatch.setattr(get_settings(), "OIDC_ISSUER", "")
    browser = Browser("tab-off")
    browser.press_sign_in_button()

    assert_refused(browser.sign_in(), sso.SsoRefusal.UNAVAILABLE)
    assert_refused(browser.follow(APP + sso.CALLBACK_PATH + "?code=x&state=y"), sso.SsoRefusal.UNAVAILABLE)


# --------------------------------------------------------------------------- the page's side


def test_binding_round_trip_and_script() -> None:
    value = sso.bind_tab("a-reflex-token")

    assert sso.bound_tab(value) == "a-reflex-token"
    script = sso.binding_script(value)
    assert f"{sso.BIND_COOKIE}={value}; Path={sso.OIDC_PATH}" in script
    assert "SameSite=Lax" in script and f'window.location.assign("{sso.START_PATH}")' in script
    assert "a-reflex-token" not in script  # base64 inside a signed value, never a URL parameter
    with pytest.raises(ValueError):
        sso.binding_script('x"; alert(1); "')


def test_login_messages_cover_every_refusal() -> None:
    for reason in sso.SsoRefusal:
        assert sso.message_for(reason.value)
    assert sso.message_for("signed_out") is None
    assert parse_qs(urlsplit(oidc.to_login(sso.SsoRefusal.NO_ACCOUNT).headers["location"]).query) == {
        "reason": ["oidc_no_account"]
    }
