# Every process that commits through a service keeps the dashboards right at commit: it
# invalidates their cache and schedules a rollup refresh when a past day changed.
import mediconnect.dashboards.cache
import mediconnect.dashboards.rollup_events  # noqa: F401
