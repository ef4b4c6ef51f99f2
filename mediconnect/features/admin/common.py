"""Kept only while features/dashboards/frame.py imports ``choice`` from here
(.coord/requests-dashboards.md): the admin pages' shared pieces now live in ``features/kit``."""

from __future__ import annotations

from mediconnect.features.kit.fields import choice

__all__ = ["choice"]
