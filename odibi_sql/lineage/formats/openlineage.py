"""``--format openlineage``: one OpenLineage RunEvent per node, as JSON Lines.

Each event's output dataset carries the ``schema`` facet and the ``columnLineage`` facet (spec
1-2-0): ``fields.<column>.inputFields[]`` for each column, ``dataset[]`` for whole-row influences.
Datasets of the project live in one namespace (``--namespace``); files read by sources are in
the ``file`` namespace and attached databases in ``duckdb://<connection>``.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

from odibi_sql import __version__
from odibi_sql.lineage.compose import LineageView
from odibi_sql.lineage.formats.json import view_nodes

PRODUCER = f"https://pypi.org/project/odibi-sql/{__version__}"
RUN_EVENT_SCHEMA = "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent"
COLUMN_LINEAGE_SCHEMA = (
    "https://openlineage.io/spec/facets/1-2-0/ColumnLineageDatasetFacet.json#/$defs/ColumnLineageDatasetFacet"
)
SCHEMA_FACET_SCHEMA = (
    "https://openlineage.io/spec/facets/1-1-1/SchemaDatasetFacet.json#/$defs/SchemaDatasetFacet"
)


def to_openlineage(view: LineageView, project: str, namespace: str) -> list[dict]:
    """The events, one per node of the view, in DAG order."""
    now = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    externals = view.graph.externals

    def dataset_of(node: str | None, relation: str) -> tuple[str, str]:
        if node is None:
            return externals.get(relation, namespace), relation
        return namespace, relation

    def input_fields(inputs: list[dict]) -> list[dict]:
        fields = []
        for item in inputs:
            ns, name = dataset_of(item["node"], item["relation"])
            transformations = [{**t, "description": ""} for t in item["transformations"]]
            fields.append(
                {"namespace": ns, "name": name, "field": item["column"], "transformations": transformations}
            )
        return fields

    events = []
    for node, record in view_nodes(view).items():
        read = {
            dataset_of(i["node"], i["relation"])
            for inputs in [*(c["inputs"] for c in record["columns"].values()), record["dataset"]]
            for i in inputs
        }
        lineage = {
            "_producer": PRODUCER,
            "_schemaURL": COLUMN_LINEAGE_SCHEMA,
            "fields": {
                column: {"inputFields": input_fields(body["inputs"])}
                for column, body in record["columns"].items()
            },
            "dataset": input_fields(record["dataset"]),
        }
        schema = {
            "_producer": PRODUCER,
            "_schemaURL": SCHEMA_FACET_SCHEMA,
            "fields": [
                {"name": column, **({"type": body["type"]} if body["type"] else {})}
                for column, body in record["columns"].items()
            ],
        }
        events.append(
            {
                "eventType": "COMPLETE",
                "eventTime": now,
                "producer": PRODUCER,
                "schemaURL": RUN_EVENT_SCHEMA,
                "run": {"runId": str(uuid.uuid4())},
                "job": {"namespace": namespace, "name": f"{project}.{node}"},
                "inputs": [{"namespace": ns, "name": name} for ns, name in sorted(read)],
                "outputs": [
                    {
                        "namespace": namespace,
                        "name": record["relation"],
                        "facets": {"schema": schema, "columnLineage": lineage},
                    }
                ],
            }
        )
    return events


def to_json_lines(events: list[dict]) -> str:
    return "".join(json.dumps(event, sort_keys=False) + "\n" for event in events)
