"""The run report (``odibi-sql docs``): one self-contained HTML file, nothing fetched from the network.

In: a ``CompiledProject`` for the target's dialect, ``target/run_results.json``,
``target/run_history.jsonl`` and the built tables. Out: a ``Report`` in plain Python (``data.py``
collects it; ``profile.py`` counts nulls with one read-only query per built relation;
``drift.py`` compares the last run with the one before), the DAG drawn as inline SVG from its
layers (``svg.py``), and the HTML rendered by the Jinja templates in ``templates/`` (``render.py``).
"""
