"""Live pages: ``watch`` topics from a state, implement ``_on_live``; see ``hub``."""

from mediconnect.features.live.hub import instance_id, once, watch, watching

__all__ = ["instance_id", "once", "watch", "watching"]
