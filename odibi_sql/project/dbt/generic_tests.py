"""dbt generic tests in properties YAML -> odibi-sql ``tests:`` entries, named as dbt names them.

Read: ``unique``, ``not_null``, ``accepted_values``, ``relationships`` (``to: ref('x')``), under
``tests:`` or ``data_tests:``, with arguments beside the name or under ``arguments:``, and
``severity`` / ``where`` beside them or under ``config:``.
"""

from __future__ import annotations

import re
from typing import Any

_BUILT_IN = ("unique", "not_null", "accepted_values", "relationships")
_SETTINGS = ("severity", "where")
_REF = re.compile(r"""^\s*ref\(\s*(['"][^'"]+['"](?:\s*,\s*['"][^'"]+['"])?)\s*\)\s*$""")


class DbtTestError(ValueError):
    def __init__(self, message: str, hint: str, key: tuple = ()):
        self.message, self.hint, self.key = message, hint, key
        super().__init__(message)


def convert_test(raw: Any, model: str, column: str | None, prefix: str = "") -> dict[str, Any]:
    """One dbt test entry -> an odibi-sql test entry; ``prefix`` (``source_``) goes before the
    test's kind in its name, as dbt names source tests."""
    if isinstance(raw, str):
        name, body = raw, {}
    elif isinstance(raw, dict) and len(raw) == 1:
        name, body = next(iter(raw.items()))
        body = body if isinstance(body, dict) else {}
        if not isinstance(next(iter(raw.values())), dict | None):
            raise DbtTestError(
                f"test '{name}' takes a mapping of arguments", "e.g. accepted_values: {values: [a, b]}"
            )
    else:
        raise DbtTestError("a test entry is a test name or a one-key mapping", "e.g. - unique")
    if name not in _BUILT_IN:
        raise DbtTestError(
            f"generic test '{name}' is not supported",
            f"odibi-sql reads {', '.join(_BUILT_IN)}; write the check as a singular test or an expression",
        )
    arguments = dict(body.get("arguments") or {})
    settings = dict(body.get("config") or {})
    for key, value in body.items():
        if key in ("arguments", "config"):
            continue
        if key in _SETTINGS:
            settings[key] = value
        elif key == "name":
            settings["name"] = value
        elif key in ("values", "to", "field", "column_name", "quote"):
            arguments[key] = value
        else:
            raise DbtTestError(
                f"test setting '{key}' is not supported", f"supported: {', '.join(_SETTINGS)}", (key,)
            )
    unknown = [k for k in settings if k not in (*_SETTINGS, "name")]
    if unknown:
        raise DbtTestError(
            f"test config '{unknown[0]}' is not supported",
            f"supported: {', '.join(_SETTINGS)}",
            ("config", unknown[0]),
        )
    column = arguments.pop("column_name", column)
    if column is None:
        raise DbtTestError(f"{name} needs a column", "put the test under the column, or give column_name")
    entry: dict[str, Any] = {}
    dbt_args: dict[str, Any] = {"column_name": column, **arguments}
    if name == "accepted_values":
        values = arguments.pop("values", None)
        quote = arguments.pop("quote", True)
        if not isinstance(values, list) or not values:
            raise DbtTestError("accepted_values needs values: [...]", "e.g. values: [placed, shipped]")
        if not quote:
            raise DbtTestError("accepted_values with quote: false is not supported", "remove quote: false")
        entry[name] = {"values": values}
    elif name == "relationships":
        to, field = arguments.pop("to", None), arguments.pop("field", None)
        match = _REF.match(str(to or ""))
        if not match or not field:
            raise DbtTestError(
                "relationships needs to: ref('model') and field: <column>",
                "e.g. {to: ref('customers'), field: customer_id}",
            )
        entry[name] = {"to": match.group(1).split(",")[-1].strip().strip("'\""), "field": field}
    else:
        entry[name] = None
    if arguments:
        raise DbtTestError(f"{name}: unknown argument '{next(iter(arguments))}'", "remove it")
    severity = str(settings.get("severity", "error")).lower()
    if severity not in ("error", "warn"):
        raise DbtTestError(f"severity '{severity}' is not error or warn", "use severity: warn or error")
    if severity == "warn":
        entry["severity"] = "warn"
    if settings.get("where"):
        entry["where"] = settings["where"]
    entry["name"] = settings.get("name") or test_name(prefix + name, model, dbt_args)
    return entry


def test_name(kind: str, model: str, args: dict[str, Any]) -> str:
    """dbt's name for a generic test (``synthesize_generic_test_names``, the full name)."""
    flat: list[str] = []
    for key in sorted(args):
        value = args[key]
        parts = (
            list(value.values())
            if isinstance(value, dict)
            else list(value)
            if isinstance(value, list | tuple)
            else [value]
        )
        flat.extend(str(p) for p in parts)
    unique = "__".join(re.sub("[^0-9a-zA-Z_]+", "_", p) for p in flat)
    return f"{kind}_{model}_{unique}"
