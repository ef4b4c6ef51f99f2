"""Whether the code running now is a live refresh (a push), not something the user did.

A refresh re-checks the tab's session like any handler, but must not count as the user's
activity: a screen left open would otherwise never reach its idle timeout.
"""

from __future__ import annotations

from contextvars import ContextVar

REFRESHING: ContextVar[bool] = ContextVar("mediconnect_live_refreshing", default=False)
