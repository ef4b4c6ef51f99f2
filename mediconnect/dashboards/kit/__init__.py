"""Helpers every dashboard shares: calendar, SQL, cache, guard, rollup, schema building blocks."""
