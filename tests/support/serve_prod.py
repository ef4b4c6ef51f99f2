"""Serve the app from a production build made earlier: what `reflex run --env prod` does after
its compile and build steps (the backend, with the compiled frontend mounted, on one port).

    python -m tests.support.serve_prod PORT

REFLEX_WEB_WORKDIR names the build (see app_server.prod_build), REFLEX_STATES_WORKDIR this
server's own state directory. The tests start one server per suite from one build, so the
build (and its install) is paid once per run, or not at all when nothing changed since the last.
"""

from __future__ import annotations

import sys

from reflex.utils import exec as rx_exec
from reflex_base import constants
from reflex_base.config import get_config
from reflex_base.environment import environment


def main(port: int) -> None:
    config = get_config()
    environment.REFLEX_ENV_MODE.set(constants.Env.PROD)
    # The build is done: workers only evaluate the pages' states, as under `reflex run --env prod`.
    environment.REFLEX_SKIP_COMPILE.set(True)
    rx_exec.notify_app_running()
    rx_exec.notify_frontend(f"http://{config.backend_host}:{port}", backend_present=True)
    rx_exec.run_backend_prod(
        config.backend_host, port, config.loglevel.subprocess_level(), mount_frontend_compiled_app=True
    )


if __name__ == "__main__":
    main(int(sys.argv[1]))
