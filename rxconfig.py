import reflex as rx

from mediconnect.core.settings import get_settings

settings = get_settings()

config = rx.Config(
    app_name="mediconnect",
    app_module_import="mediconnect.app",
    telemetry_enabled=False,
    show_built_with_reflex=False,
    frontend_port=settings.FRONTEND_PORT,
    backend_port=settings.BACKEND_PORT,
    api_url=settings.API_URL,
    deploy_url=settings.PUBLIC_URL,
    # Our own Settings/Alembic own the database; Reflex's rx.Model machinery stays off.
    db_url=None,
    redis_url=settings.REDIS_URL,
    cors_allowed_origins=[settings.PUBLIC_URL, settings.API_URL],
)
