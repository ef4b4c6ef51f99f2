"""The clinic dashboard page: /clinics/<id>/dashboard/ (page, state, views, tables)."""
