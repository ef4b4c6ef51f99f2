"""The doctor dashboard page: /dashboard/doctor/ (page, state, views)."""
