"""Moved to ``mediconnect.dashboards.kit.daily_stats``; this alias stays until alembic/env.py,
mediconnect/seed/runner.py and tests/migrations/test_migrations.py import the new path.
"""

import sys

from mediconnect.dashboards.kit import daily_stats as _moved

sys.modules[__name__] = _moved
