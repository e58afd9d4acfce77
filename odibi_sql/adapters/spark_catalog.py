"""The catalog of a local Spark session: kept on disk so tables outlive the process.

Spark's default catalog lives in memory: the files of a table stay in the warehouse when the process
ends, its definition does not, so a second run cannot see (or create again) what the first built. A
session odibi-sql starts itself therefore uses Spark's Hive-compatible catalog in an embedded Derby
database (``metastore``, ``target/spark-metastore`` by default) next to the warehouse
(``target/spark-warehouse``). The two belong together: a warehouse with tables but no catalog, a
catalog whose warehouse is gone, or a catalog made for another warehouse is refused before Spark
starts, with what to do.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from odibi_sql.diagnostics import TargetError
from odibi_sql.project.config import SparkTarget

DEFAULT_WAREHOUSE = "target/spark-warehouse"
DEFAULT_METASTORE = "target/spark-metastore"
_OWN_CATALOG = (  # settings with which the user chooses the catalog themselves
    "spark.sql.catalogImplementation",
    "spark.hadoop.javax.jdo.option.ConnectionURL",
    "spark.hadoop.hive.metastore.uris",
)
_DERBY = "metastore_db"
_MARKER = "warehouse.txt"  # the warehouse this catalog describes


class CatalogMismatch(TargetError):
    """The warehouse and its catalog do not belong together (bad state on disk, not a crash)."""

    exit_code = 2


@dataclass(frozen=True)
class LocalCatalog:
    warehouse: str  # an absolute folder, or a URI (hdfs://, s3a://, ...) left as it is
    metastore: Path | None  # None: the user configured the catalog in ``conf``

    @classmethod
    def of(cls, target: SparkTarget, root: Path) -> LocalCatalog:
        warehouse = target.warehouse or DEFAULT_WAREHOUSE
        if "://" not in warehouse:
            warehouse = str((root / warehouse).resolve())
        if any(key in target.conf for key in _OWN_CATALOG):
            return cls(warehouse, None)
        return cls(warehouse, (root / (target.metastore or DEFAULT_METASTORE)).resolve())

    def conf(self) -> dict[str, str]:
        """Session settings (given before the JVM starts: Derby reads its home at start-up)."""
        settings = {"spark.sql.warehouse.dir": self.warehouse}
        if self.metastore is None:
            return settings
        database = self.metastore / _DERBY
        return settings | {
            "spark.sql.catalogImplementation": "hive",
            "spark.hadoop.javax.jdo.option.ConnectionURL": f"jdbc:derby:;databaseName={database};create=true",
            "spark.driver.extraJavaOptions": f"-Dderby.system.home={self.metastore}",
        }

    def check(self, target_name: str) -> None:
        """Refuse a warehouse and a catalog that do not belong together."""
        if self.metastore is None:
            return
        has_catalog = (self.metastore / _DERBY).is_dir()
        marker = self.metastore / _MARKER
        if has_catalog and marker.is_file() and marker.read_text(encoding="utf-8") != self.warehouse:
            raise CatalogMismatch(
                target_name,
                f"the Spark catalog {self.metastore} describes the warehouse "
                f"{marker.read_text(encoding='utf-8')}, but the target's warehouse is {self.warehouse}",
                "set warehouse back to the folder the catalog describes, or give this warehouse its own "
                "catalog (metastore: <another folder>)",
            )
        if "://" in self.warehouse:  # a remote file system: only the catalog's own record is checked
            return
        folder = Path(self.warehouse)
        has_tables = folder.is_dir() and any(not p.name.startswith(".") for p in folder.iterdir())
        if has_tables and not has_catalog:
            raise CatalogMismatch(
                target_name,
                f"the Spark warehouse {self.warehouse} holds tables but their catalog "
                f"({self.metastore}) is missing, so Spark can neither read them nor create them again",
                f"delete {self.warehouse} to rebuild every table on the next run, or restore the catalog",
            )
        if has_catalog and not folder.is_dir():
            raise CatalogMismatch(
                target_name,
                f"the Spark catalog {self.metastore} lists tables whose warehouse {self.warehouse} is gone",
                f"delete {self.metastore} to start from an empty catalog, or restore the warehouse",
            )

    def mark(self) -> None:
        """Record which warehouse the catalog describes (once the session has created both)."""
        if self.metastore is not None and (self.metastore / _DERBY).is_dir():
            marker = self.metastore / _MARKER
            if not marker.is_file():
                marker.write_text(self.warehouse, encoding="utf-8")
