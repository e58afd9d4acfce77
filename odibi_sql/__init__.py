"""odibi-sql: a SQL-first transformation compiler for DuckDB and Spark."""

__version__ = "0.1.0"
