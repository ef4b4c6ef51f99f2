import reflex as rx

from mediconnect.core.settings import get_settings
from mediconnect.features.shell.theme import app_theme

settings = get_settings()

config = rx.Config(
    app_name="mediconnect",
    app_module_import="mediconnect.app",
    telemetry_enabled=False,
    show_built_with_reflex=False,
    # Prod mode serves everything on one port, so the frontend talks to its own origin.
    frontend_port=settings.PORT,
    backend_port=settings.PORT,
    api_url=settings.PUBLIC_URL,
    deploy_url=settings.PUBLIC_URL,
    # Our own Settings/Alembic own the database; Reflex's rx.Model machinery stays off.
    db_url=None,
    redis_url=settings.REDIS_URL,
    cors_allowed_origins=[settings.PUBLIC_URL],
    plugins=[rx.plugins.RadixThemesPlugin(theme=app_theme())],
    disable_plugins=[rx.plugins.SitemapPlugin],
)
