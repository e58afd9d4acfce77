"""One module per lint rule, named ``<CODE>_<slug>.py``; the registry collects them.

Codes are stable: OD1xx correctness (the pipeline will fail or compute wrong rows),
OD2xx style and performance, OD3xx portability to another dialect.
"""
