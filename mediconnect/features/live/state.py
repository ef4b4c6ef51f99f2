"""The one piece of live state every page carries: which backend process keeps it current.

Rendered as a hidden attribute by the layout (``marker``), so a test (or an operator) can see
that a tab on process B was updated by a change made through process A. It is a random id
per process from Reflex's token manager, not a pid or a host name.
"""

from __future__ import annotations

import reflex as rx


class LiveState(rx.State):
    instance: str = ""


def marker() -> rx.Component:
    return rx.el.span(data_testid="live-instance", data_instance=LiveState.instance, hidden=True)
