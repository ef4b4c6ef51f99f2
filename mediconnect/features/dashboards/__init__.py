"""The doctor and clinic dashboards as live Reflex pages (data: ``mediconnect.dashboards.service``)."""
