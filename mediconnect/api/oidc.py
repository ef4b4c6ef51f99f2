"""Sign in with an OpenID Connect provider (Authlib's Starlette client).

``GET /api/auth/oidc/start``    Needs the binding cookie the /login/ page sets for its tab
                                (services.sso.bind_tab); answers 302 to the provider's
                                authorization endpoint with state, nonce and PKCE (S256).
``GET /api/auth/oidc/callback`` The provider's redirect back. Authlib checks the state against
                                the flow cookie, exchanges the code (with the PKCE verifier) and
                                validates the id_token: signature through the provider's JWKS,
                                iss, aud, exp, iat, nonce (and azp, at_hash when present). Then
                                services.sso.sign_in links the account and opens the session for
                                the bound tab: 303 to /dashboard/. Any refusal: 303 to
                                /login/?reason=oidc_... where the page explains it.

Both are browser navigations, so they answer with redirects, never JSON. The flow's state
(Authlib's "session": state, nonce, PKCE verifier, plus the bound client token) lives in a
cookie signed with SECRET_KEY (core.signing), HttpOnly, SameSite=Lax, scoped to this path and
ten minutes; no server-side store is needed, so any backend process can finish a flow another
started.
"""

from __future__ import annotations

import logging
import warnings
from datetime import timedelta
from functools import lru_cache
from typing import Any, TypeVar
from urllib.parse import urlencode, urlsplit

import authlib.deprecate  # noqa: F401 - installs Authlib's own warning filter first
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from mediconnect.api import deps
from mediconnect.api.auth_guard import public
from mediconnect.api.errors import NO_STORE
from mediconnect.api.routing import api_router
from mediconnect.core import signing
from mediconnect.core.settings import get_settings
from mediconnect.services import sso
from mediconnect.services.sso import OidcIdentity, SsoError, SsoRefusal

with warnings.catch_warnings():
    # Authlib warns that it would rather use "httpx2"; the project pins httpx, which it supports.
    warnings.filterwarnings("ignore", message=".*httpx module is deprecated.*")
    from authlib.integrations.starlette_client import OAuth, StarletteOAuth2App

logger = logging.getLogger(__name__)

FLOW_COOKIE = "mc_oidc_flow"
FLOW_TTL = timedelta(minutes=10)
_FLOW_PURPOSE = "oidc-flow"
_CLIENT_TOKEN_KEY = "mediconnect_client_token"
AFTER_SIGN_IN = "/dashboard/"
LOGIN_PATH = "/login/"
SCOPE = "openid email profile"
# Clock skew accepted on exp/iat/nbf, in seconds.
LEEWAY = 60
HTTP_TIMEOUT = 10.0
# Only asymmetric algorithms: the client secret must never be usable to forge an id_token.
SAFE_ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA")


class ProviderError(Exception):
    """The provider's discovery document is unusable (unreachable, wrong issuer ...)."""


# --------------------------------------------------------------------------- the Authlib client


@lru_cache(maxsize=4)
def _client(issuer: str, client_id: str, client_secret: str) -> StarletteOAuth2App:
    oauth = OAuth()
    client_kwargs: dict[str, Any] = {
        "scope": SCOPE,
        "code_challenge_method": "S256",
        "timeout": HTTP_TIMEOUT,
        "token_endpoint_auth_method": "client_secret_basic" if client_secret else "none",
    }
    app: StarletteOAuth2App = oauth.register(
        name="oidc",
        client_id=client_id,
        client_secret=client_secret or None,
        server_metadata_url=issuer.rstrip("/") + "/.well-known/openid-configuration",
        client_kwargs=client_kwargs,
    )
    return app


def oidc_client() -> StarletteOAuth2App | None:
    """The configured provider's client (cached per configuration), or None when OIDC is off."""
    settings = get_settings()
    if not settings.oidc_enabled:
        return None
    return _client(
        settings.OIDC_ISSUER, settings.OIDC_CLIENT_ID, settings.OIDC_CLIENT_SECRET.get_secret_value()
    )


def _same_issuer(a: str, b: str) -> bool:
    return a.rstrip("/") == b.rstrip("/")


async def provider_metadata(client: StarletteOAuth2App, issuer: str) -> dict[str, Any]:
    """Discovery, once per process: the document must name the configured issuer (mix-up
    defence), and only asymmetric id_token algorithms are kept."""
    try:
        metadata: dict[str, Any] = await client.load_server_metadata()
    except Exception as exc:  # network, HTTP status, not JSON
        raise ProviderError(f"discovery failed: {type(exc).__name__}") from exc
    advertised = str(metadata.get("issuer") or "")
    if not _same_issuer(advertised, issuer):
        client.server_metadata.pop("_loaded_at", None)  # look again next time
        raise ProviderError("the discovery document names another issuer")
    for key in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
        if not metadata.get(key):
            raise ProviderError(f"the discovery document has no {key}")
    algs = metadata.get("id_token_signing_alg_values_supported") or ["RS256"]
    metadata["id_token_signing_alg_values_supported"] = [a for a in algs if a in SAFE_ALGORITHMS] or ["RS256"]
    return metadata


def redirect_uri() -> str:
    return get_settings().PUBLIC_URL.rstrip("/") + sso.CALLBACK_PATH


def _claims_options(issuer: str, client_id: str) -> dict[str, Any]:
    # A fresh dict each time: Authlib pops entries from it.
    return {
        "iss": {"essential": True, "value": issuer},
        "aud": {"essential": True, "value": client_id},
        "sub": {"essential": True},
        "exp": {"essential": True},
        "iat": {"essential": True},
        "nonce": {"essential": True},
    }


# --------------------------------------------------------------------------- cookies and redirects


def _secure_cookies() -> bool:
    return urlsplit(get_settings().PUBLIC_URL).scheme == "https"


def _set_flow(response: Response, data: dict[str, Any]) -> None:
    value = signing.sign(data, purpose=_FLOW_PURPOSE, ttl=FLOW_TTL)
    response.set_cookie(
        FLOW_COOKIE,
        value,
        max_age=int(FLOW_TTL.total_seconds()),
        path=sso.OIDC_PATH,
        secure=_secure_cookies(),
        httponly=True,
        samesite="lax",
    )


def _read_flow(request: Request) -> dict[str, Any] | None:
    try:
        return signing.unsign(request.cookies.get(FLOW_COOKIE), purpose=_FLOW_PURPOSE)
    except signing.SignatureError:
        return None


R = TypeVar("R", bound=Response)


def _forget(response: R, *names: str) -> R:
    for name in names:
        response.delete_cookie(
            name, path=sso.OIDC_PATH, secure=_secure_cookies(), httponly=True, samesite="lax"
        )
    return response


def _redirect(location: str) -> RedirectResponse:
    return RedirectResponse(location, status_code=303, headers=dict(NO_STORE))


def to_login(reason: SsoRefusal) -> RedirectResponse:
    location = f"{LOGIN_PATH}?{urlencode({'reason': reason.value})}"
    return _forget(_redirect(location), FLOW_COOKIE, sso.BIND_COOKIE)


def _record_failure(request: Request, reason: SsoRefusal, detail: str, email: str = "") -> None:
    provider = get_settings().oidc_provider_label
    with deps.db_session() as session:
        sso.record_failure(
            session=session,
            reason=reason,
            ip=deps.client_ip(request),
            provider=provider,
            detail=detail,
            email=email,
        )


async def _refuse(
    request: Request, reason: SsoRefusal, detail: str, *, record: bool = True
) -> RedirectResponse:
    """Send the browser back to /login/ with the reason. ``record`` writes the LoginAttempt and
    audit rows: only for flows that reached the provider, so anonymous hits on the two routes
    (link scanners, forged links) cost no database writes."""
    logger.warning("OIDC sign-in refused: %s (%s)", reason.value, detail)
    if record:
        await run_in_threadpool(_record_failure, request, reason, detail)
    return to_login(reason)


# --------------------------------------------------------------------------- routes


router = api_router(tags=["auth"])
_REDIRECTS: dict[int | str, dict[str, Any]] = {
    302: {"description": "to the provider (start)"},
    303: {"description": "to /dashboard/, or to /login/?reason=oidc_... on any refusal"},
}


@router.get(sso.START_PATH, summary="Sign in with OpenID Connect: to the provider",
            responses=_REDIRECTS, response_class=Response)  # fmt: skip
@public
async def start(request: Request) -> Response:
    """Needs the binding cookie the /login/ page sets for its tab (services.sso.bind_tab);
    answers 302 to the provider's authorization endpoint with state, nonce and PKCE (S256)."""
    settings = get_settings()
    client = oidc_client()
    if client is None:
        return to_login(SsoRefusal.UNAVAILABLE)
    try:
        client_token = sso.bound_tab(request.cookies.get(sso.BIND_COOKIE))
    except SsoError as exc:
        return await _refuse(
            request, exc.reason, f"start without a valid binding: {exc.detail}", record=False
        )
    try:
        await provider_metadata(client, settings.OIDC_ISSUER)
    except ProviderError as exc:
        logger.error("OIDC provider unusable: %s", exc)
        return to_login(SsoRefusal.UNAVAILABLE)
    flow: dict[str, Any] = {}
    request.scope["session"] = flow  # Authlib keeps state, nonce and the PKCE verifier here
    response = await client.authorize_redirect(request, redirect_uri())
    flow[_CLIENT_TOKEN_KEY] = client_token
    _set_flow(response, flow)
    response.headers.update(NO_STORE)
    return _forget(response, sso.BIND_COOKIE)


def _identity(userinfo: dict[str, Any]) -> OidcIdentity:
    verified = userinfo.get("email_verified")
    email = userinfo.get("email")
    return OidcIdentity(
        issuer=str(userinfo["iss"]),
        subject=str(userinfo["sub"]),
        email=email if isinstance(email, str) else None,
        # Some providers send the string "true".
        email_verified=verified is True or (isinstance(verified, str) and verified.lower() == "true"),
    )


def _sign_in(identity: OidcIdentity, client_token: str, ip: str | None, user_agent: str | None) -> None:
    with deps.db_session() as session:
        sso.sign_in(
            session=session,
            identity=identity,
            client_token=client_token,
            provider=get_settings().oidc_provider_label,
            ip=ip,
            user_agent=user_agent,
        )


@router.get(sso.CALLBACK_PATH, summary="Sign in with OpenID Connect: back from the provider",
            responses=_REDIRECTS, response_class=Response)  # fmt: skip
@public
async def callback(request: Request) -> Response:
    """The provider's redirect back: state, code exchange (PKCE), id_token validated; then the
    account is linked and the bound tab signed in: 303 to /dashboard/, or to /login/?reason=."""
    settings = get_settings()
    client = oidc_client()
    if client is None:
        return to_login(SsoRefusal.UNAVAILABLE)
    flow = _read_flow(request)
    client_token = flow.get(_CLIENT_TOKEN_KEY) if flow else None
    if not flow or not isinstance(client_token, str) or not client_token:
        return await _refuse(
            request, SsoRefusal.UNBOUND, "callback without a valid flow cookie", record=False
        )
    try:
        metadata = await provider_metadata(client, settings.OIDC_ISSUER)
    except ProviderError as exc:
        logger.error("OIDC provider unusable: %s", exc)
        return to_login(SsoRefusal.UNAVAILABLE)
    request.scope["session"] = flow
    try:
        token = await client.authorize_access_token(
            request,
            claims_options=_claims_options(str(metadata["issuer"]), settings.OIDC_CLIENT_ID),
            leeway=LEEWAY,
        )
        userinfo = token.get("userinfo")
        if not userinfo:
            raise ValueError("the token response has no id_token")
        identity = _identity(dict(userinfo))
    except Exception as exc:  # every protocol failure (state, code, signature, claims) is a refusal
        return await _refuse(request, SsoRefusal.FAILED, f"{type(exc).__name__}: {exc}"[:200])
    try:
        await run_in_threadpool(
            _sign_in, identity, client_token, deps.client_ip(request), deps.user_agent(request)
        )
    except SsoError as exc:
        logger.info("OIDC sign-in refused: %s", exc.reason.value)
        return to_login(exc.reason)
    return _forget(_redirect(AFTER_SIGN_IN), FLOW_COOKIE, sso.BIND_COOKIE)
