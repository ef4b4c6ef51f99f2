"""Building blocks of the dashboard schemas (``dashboards/<name>/schema.py``).

Wire types are the spec's JSON types: money is a string with two decimals ("1250.00"), dates
and times are the ISO strings the spec shows ("2024-01-15", "2024-01-15T14:30:00Z"). They stay
strings in the models so the JSON the API sends is byte for byte what the builders produce.

``extension(...)`` marks a field the spec does not have (documented in its description);
``tests/dashboards/test_schemas.py`` allows keys beyond the spec's example only where marked.
A role-limited view of a schema names the spec keys it leaves out in ``OMITS``.

Serialise with ``wire(model)``: fields a builder did not set (an alert's ``recommendation``
where it has an ``action_required``) are left out, as the spec's examples leave them out.
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

EXTENSION = "x-mediconnect-extension"

Money = Annotated[str, Field(pattern=r"^-?\d+\.\d{2}$", description='Decimal amount, two places ("1250.00")')]
IsoDate = Annotated[str, Field(description="ISO 8601 date, clinic-local (YYYY-MM-DD)")]
IsoInstant = Annotated[str, Field(description="ISO 8601 UTC instant (YYYY-MM-DDTHH:MM:SSZ)")]
Rate = Annotated[float, Field(description="A fraction between 0 and 1, four places")]


def extension(description: str, default: Any = ...) -> Any:
    """A field beyond the spec's example, flagged in the JSON schema (``x-mediconnect-extension``)."""
    return Field(default, description=description, json_schema_extra={EXTENSION: True})


class Schema(BaseModel):
    """Base of every dashboard model: unknown keys are an error, field order is wire order."""

    model_config = ConfigDict(extra="forbid")

    # A role-limited view lists the spec keys (dotted paths) it leaves out; empty for full views.
    OMITS: ClassVar[tuple[str, ...]] = ()


def wire(model: BaseModel) -> dict[str, Any]:
    """The JSON body: the set fields, in declaration order (explicit nulls stay)."""
    return model.model_dump(mode="json", exclude_unset=True)


def is_extension(model: type[BaseModel], name: str) -> bool:
    extra = model.model_fields[name].json_schema_extra
    return isinstance(extra, dict) and bool(extra.get(EXTENSION))
