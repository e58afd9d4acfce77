"""One local SparkSession for the whole pytest run (starting one takes seconds), with a fresh
warehouse, configured like the adapter configures sessions it starts; the adapter runs on it."""

from __future__ import annotations

import os
import sys

import pytest
from sqlglot import exp

from odibi_sql.dialect import capabilities, to_sql


@pytest.fixture(scope="session")
def spark(tmp_path_factory):
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    from odibi_sql.adapters.spark import use_session

    builder = (
        SparkSession.builder.master("local[2]")
        .appName("odibi-sql-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.sql.warehouse.dir", str(tmp_path_factory.mktemp("spark-warehouse")))
    )
    for key, value in capabilities("spark").session_settings.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("FATAL")
    use_session(session)
    yield session
    use_session(None)
    session.stop()


@pytest.fixture
def clean_spark(spark):
    """Drop every table and schema a test created, so the next one starts from an empty catalog.

    Tables are dropped one by one first: DROP SCHEMA ... CASCADE leaves Spark's cached relations of
    its tables behind, and a later table of the same name would read the old files."""
    yield spark
    for database in spark.catalog.listDatabases():
        if database.name == "default":
            continue
        schema = exp.to_identifier(database.name, quoted=True)
        for table in spark.catalog.listTables(database.name):
            kind = "VIEW" if table.tableType == "VIEW" else "TABLE"
            name = exp.Table(this=exp.to_identifier(table.name, quoted=True), db=schema.copy())
            spark.sql(to_sql(exp.Drop(tables=[name], kind=kind, exists=True), "spark"))
        spark.sql(
            to_sql(exp.Drop(this=exp.Table(this=schema), kind="SCHEMA", exists=True, cascade=True), "spark")
        )
