"""``python -m odibi_sql`` runs the CLI."""

from odibi_sql.cli.app import run

run()
