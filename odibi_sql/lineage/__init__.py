"""Column-level lineage: compiled ASTs -> one hop per node -> a project-wide column graph.

In: a ``CompiledProject`` (qualified canonical ASTs). Out: a ``ProjectLineage`` whose every output
column lists the upstream columns it comes from, with OpenLineage transformation types
(``hop.py`` per node, ``graph.py`` for the model, ``compose.py`` to walk it across the DAG), and
renderings of it as JSON, Mermaid, Graphviz DOT and OpenLineage events (``formats/``).
"""
