"""What users write under ``tests:`` (of a column or of a node), validated with pydantic.

An entry is a test name (``unique``), or a one-key mapping whose value holds the test's argument
and/or settings; settings may also sit beside the name::

    tests:
      - not_null
      - {accepted_values: [created, shipped], severity: warn}
      - {relationships: {to: customers, field: customer_id, where: "status <> 'test'"}}
      - {expression: "amount >= 0", quarantine: true}
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from odibi_sql.diagnostics import did_you_mean
from odibi_sql.project.node_spec import NAME_PATTERN


class Severity(StrEnum):
    ERROR = "error"
    WARN = "warn"


class _TestSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    severity: Severity = Severity.ERROR
    """``warn``: a failure is reported but does not fail the command."""
    where: str | None = None
    """SQL condition: only rows matching it are tested."""
    quarantine: bool = False
    """Failing rows are moved to ``<table>__quarantine`` while the node is built, instead of failing."""
    name: str | None = Field(None, pattern=NAME_PATTERN)
    """Overrides the generated test name."""


class NotNullTest(_TestSettings):
    test: Literal["not_null"]


class UniqueTest(_TestSettings):
    test: Literal["unique"]
    columns: list[str] = Field(default_factory=list)
    """On a node: the combination of columns that must be unique."""


class AcceptedValuesTest(_TestSettings):
    test: Literal["accepted_values"]
    values: list[str | int | float | bool] = Field(min_length=1)


class RelationshipsTest(_TestSettings):
    test: Literal["relationships"]
    to: str
    field: str


class ExpressionTest(_TestSettings):
    test: Literal["expression"]
    expression: str
    """SQL condition every row must satisfy."""


TestSpec = Annotated[
    NotNullTest | UniqueTest | AcceptedValuesTest | RelationshipsTest | ExpressionTest,
    Field(discriminator="test"),
]
TEST_NAMES = ("not_null", "unique", "accepted_values", "relationships", "expression")
SETTINGS = tuple(_TestSettings.model_fields)
_NEEDS_A_COLUMN = {"not_null", "accepted_values", "relationships"}
# the argument a non-mapping value stands for: {accepted_values: [a, b]} -> values: [a, b]
_ARGUMENT = {"accepted_values": "values", "expression": "expression", "unique": "columns"}
_ADAPTER: TypeAdapter[Any] = TypeAdapter(TestSpec)


class InvalidTestSpec(ValueError):
    def __init__(self, message: str, hint: str | None = None):
        self.message, self.hint = message, hint
        super().__init__(message)


def parse_test(raw: str | dict[str, Any], on_column: bool) -> TestSpec:
    """Validate one ``tests:`` entry; raises ``InvalidTestSpec`` saying what is wrong and how to fix it."""
    if isinstance(raw, str):
        name, argument, settings = raw, None, {}
    else:
        names = [k for k in raw if k in TEST_NAMES]
        unknown = [k for k in raw if k not in TEST_NAMES and k not in SETTINGS]
        if unknown or len(names) != 1:
            if len(names) > 1:
                raise InvalidTestSpec(
                    f"one test per entry, found {', '.join(names)}", "write each test as its own list item"
                )
            key = unknown[0] if unknown else "(none)"
            raise InvalidTestSpec(
                f"unknown test '{key}'.{did_you_mean(key, [*TEST_NAMES, *SETTINGS])}",
                f"tests are: {', '.join(TEST_NAMES)}; settings: {', '.join(SETTINGS)}",
            )
        name = names[0]
        argument = raw[name]
        settings = {k: v for k, v in raw.items() if k != name}
    if name not in TEST_NAMES:
        raise InvalidTestSpec(
            f"unknown test '{name}'.{did_you_mean(name, TEST_NAMES)}", f"tests are: {', '.join(TEST_NAMES)}"
        )
    if on_column and name == "unique" and isinstance(argument, list | str):
        raise InvalidTestSpec(
            "unique on a column takes no columns", "put unique: [a, b] in the node's tests: instead"
        )
    if not on_column and name in _NEEDS_A_COLUMN:
        raise InvalidTestSpec(
            f"{name} tests a column", f"put it under columns: <column>: tests: [{name}, ...]"
        )
    data: dict[str, Any] = {"test": name, **settings}
    if isinstance(argument, dict):
        data.update(argument)
    elif argument is not None and argument is not True:
        if name not in _ARGUMENT:
            raise InvalidTestSpec(f"{name} takes settings as a mapping, not {argument!r}")
        data[_ARGUMENT[name]] = [argument] if name == "unique" and isinstance(argument, str) else argument
    if not on_column and name == "unique" and not data.get("columns"):
        raise InvalidTestSpec(
            "unique on a node needs the columns to combine", "write unique: [column_a, column_b]"
        )
    try:
        return _ADAPTER.validate_python(data)
    except ValidationError as exc:
        raise InvalidTestSpec(_describe(name, exc)) from None


_SCALAR_TAGS = ("str", "int", "float", "bool")


def _describe(name: str, exc: ValidationError) -> str:
    problems = []
    for err in exc.errors():
        loc = err["loc"][1:]
        if loc and loc[-1] in _SCALAR_TAGS:  # one error per member of a union of scalars: say it once
            field = ".".join(str(p) for p in loc[:-1])
            problem = f"{field}: {err['input']!r} is not a string, number or boolean"
            if problem not in problems:
                problems.append(problem)
            continue
        field = ".".join(str(p) for p in loc) or name
        if err["type"] == "missing":
            problems.append(f"'{field}' is required")
        elif err["type"] == "extra_forbidden":
            problems.append(f"unknown setting '{field}'")
        else:
            problems.append(f"{field}: {err['msg']}")
    return f"{name}: {'; '.join(problems)}"
