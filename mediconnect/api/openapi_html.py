"""The OpenAPI document as one self-contained HTML page (no scripts, no CDN: works offline)."""

from __future__ import annotations

import json
from html import escape
from typing import Any

STYLE = """
body{font:15px/1.5 system-ui,sans-serif;margin:0 auto;max-width:1100px;padding:1rem 1.5rem}
h1{margin-bottom:0}nav a{margin-right:.8rem}section{border-top:1px solid #d0d7de;padding:.6rem 0}
.m{display:inline-block;min-width:4.2rem;font-weight:700;color:#fff;border-radius:4px;
padding:0 .4rem;text-align:center;margin-right:.5rem}.get{background:#1f6feb}
.post{background:#1a7f37}.put,.patch{background:#9a6700}.delete{background:#cf222e}
.ws{background:#8250df}code,pre{font:13px ui-monospace,monospace}
pre{white-space:pre-wrap;background:#f6f8fa;padding:.6rem;border-radius:6px;overflow-x:auto}
table{border-collapse:collapse;margin:.3rem 0}.lock{color:#9a6700}
td,th{border:1px solid #d0d7de;padding:.2rem .5rem;text-align:left;vertical-align:top}
details{margin:.3rem 0}summary{cursor:pointer}
"""


def _ref(doc: dict[str, Any], schema: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    ref = schema.get("$ref", "")
    name = ref.rsplit("/", 1)[-1]
    return name, doc["components"]["schemas"].get(name, schema) if ref else schema


def _params(params: list[dict[str, Any]]) -> str:
    if not params:
        return ""
    rows = "".join(
        f"<tr><td><code>{escape(p['name'])}</code></td><td>{escape(p['in'])}</td>"
        f"<td>{'yes' if p.get('required') else ''}</td>"
        f"<td><code>{escape(json.dumps(p.get('schema', {})))}</code></td>"
        f"<td>{escape(p.get('description', ''))}</td></tr>"
        for p in params
    )
    head = "<tr><th>parameter</th><th>in</th><th>required</th><th>schema</th><th></th></tr>"
    return f"<table>{head}{rows}</table>"


def _responses(doc: dict[str, Any], responses: dict[str, Any]) -> str:
    out = []
    for status, resp in responses.items():
        body = ""
        content = resp.get("content", {}).get("application/json", {})
        if "schema" in content:
            name, schema = _ref(doc, content["schema"])
            body = (
                f"<details><summary>schema {escape(name)}</summary>"
                f"<pre>{escape(json.dumps(schema, indent=2))}</pre></details>"
            )
        out.append(f"<li><b>{escape(status)}</b> {escape(resp.get('description', ''))}{body}</li>")
    return f"<ul>{''.join(out)}</ul>"


def _request_body(doc: dict[str, Any], body: dict[str, Any] | None) -> str:
    if not body:
        return ""
    kinds = ", ".join(escape(k) for k in body.get("content", {}))
    content = body.get("content", {}).get("application/json", {})
    name, schema = _ref(doc, content.get("schema", {}))
    return (
        f"<p>body ({kinds}){' required' if body.get('required') else ''}</p>"
        f"<details><summary>schema {escape(name)}</summary>"
        f"<pre>{escape(json.dumps(schema, indent=2))}</pre></details>"
    )


def _operation(doc: dict[str, Any], path: str, method: str, op: dict[str, Any]) -> str:
    lock = ' <span class="lock" title="bearer token">&#128274; bearer</span>' if op.get("security") else ""
    anchor = escape(f"{method}-{path}", quote=True)
    return (
        f'<section id="{anchor}"><div><span class="m {escape(method)}">{escape(method.upper())}</span>'
        f"<code>{escape(path)}</code>{lock}</div><p><b>{escape(op.get('summary', ''))}</b></p>"
        f"<pre>{escape(op.get('description', ''))}</pre>{_params(op.get('parameters', []))}"
        f"{_request_body(doc, op.get('requestBody'))}"
        f"{_responses(doc, op.get('responses', {}))}</section>"
    )


def render(doc: dict[str, Any]) -> str:
    ops = [
        _operation(doc, path, method, op)
        for path, item in sorted(doc["paths"].items())
        for method, op in item.items()
    ]
    sockets = "".join(
        f'<section><div><span class="m ws">WS</span><code>{escape(path)}</code></div>'
        f"<pre>{escape(item.get('description', ''))}</pre></section>"
        for path, item in doc.get("x-websockets", {}).items()
    )
    info = doc["info"]
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(info['title'])}</title>"
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<style>{STYLE}</style></head><body>"
        f"<h1>{escape(info['title'])} <small>{escape(info['version'])}</small></h1>"
        f"<p>{escape(info.get('description', ''))}</p>"
        f'<nav><a href="/api/openapi.json">openapi.json</a> OpenAPI {escape(doc["openapi"])}</nav>'
        f"{''.join(ops)}<h2>WebSockets</h2>{sockets}</body></html>"
    )
