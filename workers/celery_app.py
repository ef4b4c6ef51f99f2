"""The Celery application of the worker and beat processes (``celery -A workers.celery_app``).

Configured from Settings by ``core.tasks.make_celery`` (the same configuration the web app
sends through), with this package's task modules, made the default app, and wired
(``bootstrap.wire``: the commit hooks) like every process of the app.
"""

from __future__ import annotations

from mediconnect.bootstrap import wire
from mediconnect.core.tasks import make_celery

app = make_celery(include=["workers.system", "workers.booking", "workers.dashboards"])
app.set_default()
wire()
