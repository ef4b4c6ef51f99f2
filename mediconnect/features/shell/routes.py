"""The app's page routes and who may open them, without Reflex (so plain view code can ask).

``shell.template.page`` records each route as it registers it; ``route_exists`` answers
whether a link (a dashboard's quick action, a role's home) leads to a page this app has, so
the interface never shows a link that ends on the 404 page.
"""

from __future__ import annotations

import re
from functools import lru_cache

from mediconnect.models.users import Role

# Which roles each decorated route admits; None means public. Read by tests and by the
# permission layer when it needs to list what a role can reach.
PAGE_ROLES: dict[str, frozenset[Role] | None] = {}


@lru_cache(maxsize=256)
def _pattern(route: str) -> re.Pattern[str]:
    # "/clinics/[clinic_id]/dashboard/" matches "/clinics/3/dashboard"
    parts = [
        r"[^/]+" if p.startswith("[") and p.endswith("]") else re.escape(p)
        for p in route.strip("/").split("/")
    ]
    return re.compile("/" + "/".join(parts))


def route_exists(path: str) -> bool:
    """Whether a site path (query and trailing slash ignored) is one of the registered pages."""
    target = "/" + path.split("?", 1)[0].split("#", 1)[0].strip("/")
    return any(_pattern(route).fullmatch(target) for route in PAGE_ROLES)
