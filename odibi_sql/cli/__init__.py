"""Command-line interface: typer app, one module per command, rich output."""
