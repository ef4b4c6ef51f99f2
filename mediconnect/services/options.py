"""``Option``: one choice of a select list, as services return them and pages show them.

The one shape for every picker (clinics, rooms, staff, schemes, days, dashboards ...): ``value``
is what comes back from the browser (always a string), ``label`` what a person reads.
"""

from __future__ import annotations

from typing import TypedDict


class Option(TypedDict):
    value: str
    label: str
