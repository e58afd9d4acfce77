"""Renderings of a ``LineageView``: JSON (documented schema), Mermaid, Graphviz DOT, OpenLineage events."""
