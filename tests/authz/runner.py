"""Runs the matrix's cases against the running app and judges each one.

Every case is one (entry, subject, own/other object) triple, run in a fresh browser tab: a new
client token, signed in (for a role) by a server-side session made for that token:

* page: the tab connects as a page load of the route (its on_load handlers run on the server);
* handler: the tab connects on ``/``, then calls the handler by its full name with the rule's
  hostile payloads (after any prelude, e.g. setting a form var the handler reads);
* API route: a request with the subject's Bearer token.

Afterwards the tab is asked who it is (``matrix.IDENTITY_PROBE``).

A case LEAKS when the server sent personal data of someone the subject may not see, changed a
watched row of someone else (or any row, in a denied case), showed the effect of an allowed call
in a denied case, let a forged value through, ran a private method, or left the tab signed in
as someone else. A case FAILS (without leaking) when an allowed call did not work, a page did
not refuse the way pages refuse, or an API route answered with the wrong status or code.

Speed: the cases of one entry run as concurrent tabs, one per subject at a time (own objects,
then other objects), between two fingerprints of the database. Each subject may only change its
own rows, so every change has one possible author; if a batch shows a change no case may make,
it is undone and the batch is run again one case at a time to name the culprit.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import httpx

from mediconnect.features.shell.state import DENIED_REDIRECT, LOGIN_ROUTE
from tests.authz import matrix as m
from tests.authz.world import SESSIONS_TABLE, Change, Subject, World
from tests.support.hostile_client import CallResult, SyncHostileClient

PARALLEL_TABS = 8


class _Everyone(frozenset[str]):
    """Whose data an admin page may show or change: anyone's."""

    def __contains__(self, _owner: object) -> bool:
        return True


EVERYONE: set[str] = _Everyone()  # type: ignore[assignment]


def _data_url_text(text: str) -> str:
    """The text inside a base64 data URL (what rx.download sends), for the canary scan."""
    import base64
    import binascii

    head, sep, body = text.partition(";base64,")
    if not sep or not head.startswith("data:"):
        return ""
    try:
        return base64.b64decode(body).decode("utf-8", errors="replace")
    except (binascii.Error, ValueError):
        return ""


def _dashboard_route(path: str) -> bool:
    """Whether ``path`` is one of the role dashboards /dashboard/ sends a role to."""
    import re

    from mediconnect.features.auth.dashboard import DASHBOARDS

    patterns = [re.escape(t.route).replace(re.escape("[clinic_id]"), r"\d+") for t in DASHBOARDS.values()]
    return any(re.fullmatch(p, path) for p in patterns)


WS_REFUSALS = {"DASH_008": 401, "DASH_001": 404, "DASH_005": 404, "DASH_004": 400}


def _ws_refusal(text: str) -> int:
    """The HTTP status a WebSocket error frame stands for (403 for access codes), else 0."""
    try:
        frame = json.loads(text)
    except ValueError:
        return 0
    if not isinstance(frame, dict) or frame.get("type") != "error":
        return 0
    code = frame.get("code") or (frame.get("data") or {}).get("code")
    return WS_REFUSALS.get(str(code), 403)


# The codes of an access refusal; anything else after the access check is about the input.
ACCESS_CODES = ("DASH_002", "DASH_006", "AUTH_001", "AUTH_002", "AUTH_003")


@dataclass
class CaseResult:
    kind: str
    key: str
    subject: str
    which: str | None
    allowed: bool
    reason: str = ""
    observed: str = "n/a"  # "allowed", "denied", "n/a" (nothing observable)
    leaks: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    group: str = ""  # "page", "app handler", "reflex handler", "private method", "api"

    @property
    def label(self) -> str:
        obj = f" [{self.which} object]" if self.which else ""
        expect = "allow" if self.allowed else f"deny ({self.reason})"
        return f"{self.kind} {self.key} as {self.subject}{obj}: expected {expect}"

    def problems(self) -> Iterator[str]:
        for leak in self.leaks:
            yield f"LEAK  {self.label}: {leak}"
        for failure in self.failures:
            yield f"FAIL  {self.label}: {failure}"


@dataclass
class Pending:
    """One case on its way: the tab, and what it saw."""

    entry: m.Entry
    ctx: m.Ctx
    case: CaseResult
    token: str = ""
    client: SyncHostileClient | None = None
    results: list[CallResult] = field(default_factory=list)  # everything pushed (boot, prelude, main)
    main: CallResult = field(default_factory=CallResult)  # what the page load / the call pushed
    identity: CallResult = field(default_factory=CallResult)
    still_open: bool = False
    responses: list[tuple[int, str]] = field(default_factory=list)  # API: (status, body)
    crashed: bool = False
    # Built in the main thread (they may read Reflex's registration context).
    path: str = "/"
    prelude: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    payloads: list[Any] = field(default_factory=list)

    @property
    def rule(self) -> m.Rule:
        assert self.entry.rule is not None
        return self.entry.rule

    @property
    def subject(self) -> Subject:
        return self.ctx.subject

    def fresh_case(self) -> None:
        c = self.case
        self.case = CaseResult(c.kind, c.key, c.subject, c.which, c.allowed, c.reason, group=c.group)
        self.results, self.main, self.identity, self.responses = [], CallResult(), CallResult(), []
        self.client, self.token, self.still_open, self.crashed = None, "", False, False


def group(entry: m.Entry) -> str:
    if entry.kind != "handler":
        return entry.kind
    if entry.rule is not None and entry.rule.not_callable:
        return "private method"
    return "app handler" if entry.detail.get("app") else "reflex handler"


class Runner:
    def __init__(self, base_url: str, world: World) -> None:
        self.base_url = base_url.rstrip("/")
        self.world = world
        self._api_tokens: dict[str, str] = {}
        self.token_source = "core.tokens.issue_tokens"
        self.http = httpx.Client(base_url=self.base_url, timeout=20, follow_redirects=False)
        self.pool = ThreadPoolExecutor(max_workers=PARALLEL_TABS, thread_name_prefix="authz-tab")
        self.reruns = 0
        self.identity_probe = self.full(m.IDENTITY_PROBE)

    def close(self) -> None:
        self.pool.shutdown(wait=True)
        self.http.close()

    # ------------------------------------------------------------------ cases

    def cases(self, rule: m.Rule) -> Iterator[tuple[Subject, str | None]]:
        for name in m.SUBJECT_NAMES:
            subject = self.world.subjects[name]
            if rule.obj is None:
                yield subject, None
            elif not subject.signed_in:
                yield subject, "other"
            else:
                yield subject, "own"
                yield subject, "other"

    def ctx(self, rule: m.Rule, subject: Subject, which: str | None) -> m.Ctx:
        ctx = m.Ctx(world=self.world, subject=subject, victim=self.world.victims[subject.name], which=which)
        if rule.obj is not None and which is not None:
            own, other = self.world.object_ids(rule.obj, subject)
            ctx.object_id = own if which == "own" else other
        return ctx

    def run(self, entry: m.Entry) -> list[CaseResult]:
        rule = entry.rule
        assert rule is not None, f"{entry.kind} {entry.key} is not classified"
        if entry.kind == "api":
            for subject in self.world.subjects.values():
                self.api_token(subject)  # outside any case: issuing one writes a refresh token row
        pendings: list[Pending] = []
        for subject, which in self.cases(rule):
            allowed, reason = rule.allows(subject.role, which)
            case = CaseResult(entry.kind, entry.key, subject.name, which, allowed, reason, group=group(entry))
            pending = Pending(entry, self.ctx(rule, subject, which), case)
            if rule.obj not in (None, "self") and pending.ctx.object_id is None:
                case.failures.append(f"the seed has no {which} {rule.obj} for {subject.name}")
                pending.crashed = True
            elif entry.kind == "handler":
                pending.path = rule.path(pending.ctx) if rule.path else "/"
                pending.prelude = [(self.full(k), v) for k, v in rule.prelude(pending.ctx)]
                pending.payloads = (
                    [entry.detail["payload"]] if rule.not_callable else rule.payloads(pending.ctx)
                )
            elif entry.kind == "api":
                pending.payloads = rule.payloads(pending.ctx)
            pendings.append(pending)
        runnable = [p for p in pendings if not p.crashed]
        for which in (None, "own", "other"):
            batch = [p for p in runnable if p.ctx.which == which]
            if batch:
                self._run_batch(batch, parallel=True)
        return [p.case for p in pendings]

    # ------------------------------------------------------------------ batches

    def _run_batch(self, batch: list[Pending], *, parallel: bool) -> None:
        for p in batch:
            p.token = self._session_for(p.subject) if p.entry.kind != "api" else ""
        before = self.world.fingerprint()
        try:
            if parallel and len(batch) > 1:
                list(self.pool.map(self._act, batch))
            else:
                for p in batch:
                    self._act(p)
            after = self.world.fingerprint()
        finally:
            self._cleanup(batch)
        changes = before.diff(after)
        if parallel and len(batch) > 1 and self._unexplained(batch, changes):
            # Someone changed what nobody in this batch may change: find out who, one at a time.
            self.world.restore(before, changes)
            self.reruns += 1
            for p in batch:
                p.fresh_case()
                self._run_batch([p], parallel=False)
            return
        try:
            for p in batch:
                if not p.crashed:
                    # A batch of one owns every change; in a larger one all were explained above.
                    self._judge(p, changes, solo=len(batch) == 1)
        finally:
            self.world.restore(before, changes)

    def _unexplained(self, batch: list[Pending], changes: list[Change]) -> bool:
        may = {p.subject.owner for p in batch if p.subject.owner in self._permitted(p)}
        return any(c.owner not in may for c in changes)

    def _act(self, p: Pending) -> None:
        try:
            {"page": self._act_page, "handler": self._act_handler, "api": self._act_api}[p.entry.kind](p)
        except Exception as exc:  # a crash of the harness or a hung server is a failure
            p.crashed = True
            p.case.failures.append(f"case did not complete: {type(exc).__name__}: {exc}")

    def _cleanup(self, batch: list[Pending]) -> None:
        for p in batch:
            if p.client is not None:
                with contextlib.suppress(Exception):  # the server may have dropped the tab already
                    p.client.close()
            if p.token and p.subject.user_id is not None:
                self.world.end_session(p.token)

    # ------------------------------------------------------------------ tabs

    def _session_for(self, subject: Subject) -> str:
        """A new tab's client token, signed in as ``subject`` (a server-side session)."""
        token = f"authz-{uuid.uuid4()}"
        if subject.user_id is not None:
            self.world.open_session(subject.user_id, token)
        return token

    def _finish_tab(self, p: Pending) -> None:
        assert p.client is not None
        p.still_open = p.subject.user_id is not None and self.world.session_open(p.token)
        p.identity = p.client.call(self.identity_probe, {}, path="/profile/")

    def full(self, key: str) -> str:
        """The full event name of "StateClass.handler" (main thread only)."""
        state_name, handler = key.split(".", 1)
        for cls in m.app_states():
            if cls.__name__ == state_name:
                return f"{cls.get_full_name()}.{handler}"
        raise KeyError(key)

    # ------------------------------------------------------------------ pages

    def _page_path(self, p: Pending) -> str:
        route = str(p.entry.target)
        if route == "404":
            return "/authz-no-such-page/"
        if p.rule.param:
            route = route.replace(f"[{p.rule.param}]", str(p.ctx.object_id or "authz-missing"))
        assert "[" not in route, f"page {p.entry.key}: a path parameter has no object kind in its rule"
        return route

    def _act_page(self, p: Pending) -> None:
        p.client = SyncHostileClient(self.base_url, token=p.token)
        p.main = p.client.connect(self._page_path(p))
        p.results = [p.main]
        self._finish_tab(p)

    # ------------------------------------------------------------------ handlers

    def _act_handler(self, p: Pending) -> None:
        p.client = SyncHostileClient(self.base_url, token=p.token)
        boot = p.client.connect("/")
        before = CallResult()
        for name, payload in p.prelude:
            before.extend(p.client.call(name, payload, path=p.path))
        for payload in p.payloads:
            p.main.extend(p.client.call(p.entry.detail["full_name"], payload, path=p.path))
        p.results = [boot, before, p.main]
        self._finish_tab(p)

    # ------------------------------------------------------------------ API

    def api_token(self, subject: Subject) -> str | None:
        if subject.user_id is None:
            return None
        if subject.name not in self._api_tokens:
            self._api_tokens[subject.name] = self._issue_token(subject)
        return self._api_tokens[subject.name]

    def _issue_token(self, subject: Subject) -> str:
        from mediconnect.seed.demo_accounts import DEMO_PASSWORD

        if any(e.key == "POST /api/auth/token" for e in m.enumerate_api()):
            response = self.http.post(
                "/api/auth/token", json={"email": subject.email, "password": DEMO_PASSWORD}
            )
            if response.status_code == 200 and "access_token" in response.json():
                self.token_source = "POST /api/auth/token"
                return str(response.json()["access_token"])
        from mediconnect.core.tokens import issue_tokens
        from mediconnect.models.users import User

        with self.world.db() as db:
            user = db.get(User, subject.user_id)
            assert user is not None
            pair = issue_tokens(db, user=user)
            db.commit()
        return pair.access_token

    def _api_url(self, p: Pending) -> str:
        _method, path = p.entry.target
        if p.rule.path is not None:
            return p.rule.path(p.ctx)  # a rule that needs a query string builds the whole URL
        if p.rule.param:
            value = p.ctx.object_id if p.rule.obj else "authz-no-such-endpoint"
            path = path.replace(f"{{{p.rule.param}:path}}", str(value)).replace(
                f"{{{p.rule.param}}}", str(value)
            )
        assert "{" not in path, f"api {p.entry.key}: a path parameter has no object kind in its rule"
        return path

    def _act_api(self, p: Pending) -> None:
        method, _ = p.entry.target
        url = self._api_url(p)
        token = self.api_token(p.subject)
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        if method == "WS":
            p.responses = [self._ws_probe(url, headers)]
            return
        for payload in p.payloads:
            body = payload if method in ("POST", "PUT", "PATCH") else None
            try:
                response = self.http.request(method, url, headers=headers, json=body)
            except httpx.RemoteProtocolError:
                # A kept-alive connection the server had just closed: ask once more.
                response = self.http.request(method, url, headers=headers, json=body)
            p.responses.append((response.status_code, response.text))

    def _ws_probe(self, path: str, headers: dict[str, str]) -> tuple[int, str]:
        """Open a WebSocket route: 101 if accepted (then read briefly), else the refusal status."""
        import aiohttp

        async def probe() -> tuple[int, str]:
            url = self.base_url.replace("http", "ws", 1) + path
            texts: list[str] = []
            async with aiohttp.ClientSession() as session:
                try:
                    async with session.ws_connect(url, headers=headers) as ws:
                        try:
                            while True:
                                # The first frame may wait for a dashboard build on a busy
                                # machine (the wait bounds a hang); later ones are read briefly.
                                wait = 0.5 if texts else 60.0
                                msg = await asyncio.wait_for(ws.receive(), timeout=wait)
                                if msg.type == aiohttp.WSMsgType.TEXT:
                                    texts.append(msg.data)
                                    refusal = _ws_refusal(msg.data)
                                    if refusal:
                                        # The server's refusal frame; its close follows.
                                        return refusal, "".join(texts)
                                elif msg.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
                                    refused = (ws.close_code or 0) >= 4000 or ws.close_code == 1008
                                    return (403 if refused else 101), "".join(texts)
                        except TimeoutError:
                            return 101, "".join(texts)
                except aiohttp.WSServerHandshakeError as exc:
                    return exc.status, ""

        return SyncHostileClient.run(probe())

    # ------------------------------------------------------------------ judging

    def _permitted(self, p: Pending) -> set[str]:
        """Whose data may reach the subject, and whose rows may change, in this case."""
        owner = p.subject.owner
        if owner is None:
            return set()
        if p.case.allowed and p.rule.obj is None and p.subject.role in p.rule.others:
            return EVERYONE  # an admin page: every account is the admin's business
        if p.case.allowed:
            assert p.subject.user_id is not None
            return {owner} | self.world.readable_owners(p.subject.user_id)
        if p.case.reason == "object":
            return {owner}
        return set()

    def _judge(self, p: Pending, changes: list[Change], *, solo: bool) -> None:
        case, rule, subject = p.case, p.rule, p.subject
        permitted = self._permitted(p)
        for change in changes if solo else []:
            if change.owner not in permitted:
                whose = change.owner or "nobody"
                case.leaks.append(f"database: {change.table} row {change.key} of {whose} {change.kind}")
        strings: list[str] = [s for r in p.results for s in r.strings()]
        strings += [decoded for s in strings if (decoded := _data_url_text(s))]  # downloads
        if p.entry.kind == "api":
            strings = [body for _, body in p.responses]
        self._check_canaries(
            case, strings, permitted, where="response" if p.entry.kind == "api" else "pushed state"
        )
        if p.entry.kind == "api":
            for status, body in p.responses:
                self._check_status(rule, case, p.entry.target[0], status, body)
            return

        self._check_canaries(case, p.identity.strings(), {subject.owner} - {None}, where="identity probe")
        for text in rule.forbidden:
            if any(text in s for s in [*strings, *p.identity.strings()]):
                case.leaks.append(f"a forged value came back in the state ({text!r})")
        if rule.not_callable and p.main.messages:
            case.leaks.append(f"a private method ran and answered: {p.main.messages[:2]!r}"[:400])

        mine = [c for c in changes if c.owner == subject.owner]
        theirs = [c for c in changes if c.owner is not None and c.owner == p.ctx.victim.owner]
        observed = self._effect(rule.effect, subject, p.main, mine, p.still_open, theirs)
        if observed is not None:
            case.observed = "allowed" if observed else "denied"
            if case.allowed and not observed:
                case.failures.append(f"allowed, but no {rule.effect} effect (redirects {p.main.redirects})")
            elif not case.allowed and observed and case.reason != "object":
                case.leaks.append(f"denied, but the {rule.effect} effect happened")
        elif not case.allowed:
            case.observed = "denied"
        if case.allowed and p.main.errors and not rule.attack:
            case.failures.append(f"the handler raised on the server ({len(p.main.errors)} error event(s))")

        # Who the tab is afterwards: the same person (or nobody after a sign-out), never anyone else.
        expected = subject.email if (subject.signed_in and rule.identity_after == "same") else None
        shown = p.identity.var("profile_state", "email") or None
        if shown != expected:
            who = "anonymous" if expected is None else subject.name
            case.leaks.append(f"after the call the tab is {'someone' if shown else 'nobody'}, not {who}")

        if case.reason == "object":
            # The call acted for the caller; the victim it named stayed out of reach (checked above).
            case.observed = "denied" if not case.leaks else "allowed"
        if p.entry.kind == "page":
            self._judge_page(p)

    @staticmethod
    def _judge_page(p: Pending) -> None:
        """How pages refuse: anonymous visitors to the sign-in page, other roles to /dashboard/."""
        case, redirects = p.case, p.main.redirects
        if not case.allowed and case.reason == "anonymous":
            if not any(r.startswith(LOGIN_ROUTE) for r in redirects):
                case.failures.append(f"not sent to {LOGIN_ROUTE} (redirects: {redirects})")
        elif not case.allowed and case.reason == "role":
            if DENIED_REDIRECT not in redirects:
                case.failures.append(f"not sent to {DENIED_REDIRECT} (redirects: {redirects})")
        elif case.allowed and p.rule.access != m.PUBLIC and any(r.startswith(LOGIN_ROUTE) for r in redirects):
            case.failures.append(f"an allowed visitor was sent to sign in ({redirects})")

    def _check_canaries(self, case: CaseResult, strings: Any, permitted: set[str], *, where: str) -> None:
        seen: set[str] = set()
        for owner, text in self.world.find_canaries(strings):
            if owner not in permitted and owner not in seen:
                seen.add(owner)
                # The seeded (synthetic) value is named so a report can be judged at a glance.
                case.leaks.append(f"personal data of {owner} in the {where} ({text!r})")

    @staticmethod
    def _effect(
        effect: str | None,
        subject: Subject,
        main: CallResult,
        mine: list[Change],
        still_open: bool,
        theirs: list[Change] = (),  # type: ignore[assignment]
    ) -> bool | None:
        if effect is None or (subject.user_id is None and effect in ("session_end", "db_write")):
            return None
        if effect.startswith("var:"):
            state, name = effect[4:].split(".", 1)
            return bool(main.var(state, name))
        if effect == "download":
            return any(
                str(e.get("name", "")).endswith("_download")
                or str((e.get("payload") or {}).get("url", "")).startswith("data:")
                for e in main.events
            )
        if effect == "victim_write":
            return any(c.table != SESSIONS_TABLE for c in theirs)
        if effect == "profile":
            email = main.var("profile_state", "email") or ""
            return bool(email) and email.lower() == (subject.email or "").lower()
        if effect == "dashboard":
            # The placeholder's title, or (once the role's dashboard page exists) the redirect to it.
            return bool(main.var("dashboard_state", "title")) or any(
                _dashboard_route(r) for r in main.redirects
            )
        if effect == "db_write":
            return any(c.table != SESSIONS_TABLE for c in mine)
        if effect == "session_end":
            return not still_open
        raise KeyError(f"unknown effect {effect!r}")

    @staticmethod
    def _check_status(rule: m.Rule, case: CaseResult, method: str, status: int, body: str) -> None:
        code = ""
        if body.startswith("{"):
            try:
                code = str(httpx.Response(200, content=body).json().get("code", ""))
            except ValueError:
                code = ""
        if rule.access == m.PUBLIC:
            case.observed = "allowed" if status not in (401, 403) else "denied"
            if status in (401, 403):
                case.failures.append(f"a public route answered {status}")
            return
        if case.allowed:
            # Past the access check, the matrix's minimal payloads may be refused as bad input
            # (400 DASH_004, 409/422 BOOK_* / BILL_*): allowed, not a denial.
            refused_as_input = status in (400, 409, 422) and code not in ("", *ACCESS_CODES)
            case.observed = "allowed" if status < 400 or refused_as_input else "denied"
            if status >= 400 and not refused_as_input:
                case.failures.append(f"allowed, but answered {status} {code}")
            return
        case.observed = "denied" if status in (401, 403) else "allowed"
        want = {"anonymous": (401, None), "role": (403, "DASH_002"), "object": (403, "DASH_006")}[case.reason]
        if status < 400:
            case.leaks.append(f"denied, but answered {status}")
        elif status != want[0] or (want[1] and code != want[1] and method != "HEAD"):
            case.failures.append(
                f"answered {status} {code or '(no code)'}, expected {want[0]} {want[1] or ''}"
            )
