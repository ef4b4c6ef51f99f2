"""``PagedList``: the paging every list page shares (total, page, pages; Previous / Next).

A list state mixes it in and implements ``_fetch()``, which reads ``self.page`` and sets all
three from the service's answer (``_show_page``). The service clamps the page again: what the
browser sends is never trusted.
"""

from __future__ import annotations

from typing import Any

import reflex as rx


class PagedList(rx.State, mixin=True):
    total: int = 0
    page: int = 1
    pages: int = 1

    async def _fetch(self) -> Any:
        raise NotImplementedError

    def _show_page(self, total: int, page: int, pages: int) -> None:
        """Keep the paging figures of a service's answer (at least one page, even when empty)."""
        self.total, self.page, self.pages = int(total), int(page), max(1, int(pages))

    @rx.event
    async def prev_page(self):
        self.page = max(1, self.page - 1)
        return await self._fetch()

    @rx.event
    async def next_page(self):
        self.page = min(self.pages, self.page + 1)
        return await self._fetch()
