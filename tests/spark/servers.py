"""Spark servers started from the installed pyspark, on 127.0.0.1 and free ports: a Spark Connect
server and a standalone cluster (a master and workers). Each process runs in its own process group,
killed on exit whatever happened; every wait is bounded and a server that dies early fails at once
with the end of its log."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pyspark

SPARK_HOME = Path(pyspark.__file__).parent
HOST = "127.0.0.1"
START_TIMEOUT = 240  # seconds: a JVM on a busy 2-core machine


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def spark_env(tmp: Path) -> dict[str, str]:
    return {
        **os.environ,
        "SPARK_HOME": str(SPARK_HOME),
        "SPARK_LOCAL_IP": HOST,
        "SPARK_LOCAL_HOSTNAME": HOST,
        "PYSPARK_PYTHON": sys.executable,
        "SPARK_LOG_DIR": str(tmp / "logs"),
        "SPARK_PID_DIR": str(tmp / "pids"),
        "SPARK_NO_DAEMONIZE": "1",
    }


class Server:
    """One server process (its own group) with its log in ``log``."""

    def __init__(self, name: str, command: list[str], tmp: Path):
        self.name, self.log = name, tmp / f"{name}.log"
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                command,
                cwd=tmp,
                env=spark_env(tmp),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def wait_until(self, ready: Callable[[], bool], timeout: float = START_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}:\n{self.tail()}")
            with contextlib.suppress(OSError, ValueError):
                if ready():
                    return
            time.sleep(0.5)
        raise TimeoutError(f"{self.name} not ready after {timeout}s:\n{self.tail()}")

    def tail(self, lines: int = 30) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        for sig, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, 10)):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, sig)
            try:
                self.process.wait(wait)
                return
            except subprocess.TimeoutExpired:
                continue


def listening(port: int) -> Callable[[], bool]:
    def ready() -> bool:
        with socket.create_connection((HOST, port), timeout=1):
            return True

    return ready


@contextlib.contextmanager
def stopped_at_exit() -> Iterator[list[Server]]:
    servers: list[Server] = []
    try:
        yield servers
    finally:
        for server in reversed(servers):
            server.stop()


@contextlib.contextmanager
def connect_server(tmp: Path) -> Iterator[str]:
    """A Spark Connect server (``sbin/start-connect-server.sh --wait``, local[2]); yields its sc:// URL."""
    port = free_port()
    command = [
        "bash",
        str(SPARK_HOME / "sbin/start-connect-server.sh"),
        "--wait",
        "--master",
        "local[2]",
        *("--conf", f"spark.connect.grpc.binding.address={HOST}"),
        *("--conf", f"spark.connect.grpc.binding.port={port}"),
        *("--conf", f"spark.sql.warehouse.dir={tmp / 'warehouse'}"),
        *("--conf", "spark.ui.enabled=false"),
        *("--conf", "spark.sql.shuffle.partitions=2"),
        *("--conf", f"spark.driver.extraJavaOptions=-Dderby.system.home={tmp}"),
    ]
    with stopped_at_exit() as servers:
        servers.append(Server("connect", command, tmp))
        servers[0].wait_until(listening(port))
        yield f"sc://{HOST}:{port}"


@contextlib.contextmanager
def standalone_cluster(tmp: Path, workers: int = 2) -> Iterator[str]:
    """A standalone master and ``workers`` workers (1 core, 1 GiB each); yields the spark:// URL
    once every worker has registered."""
    spark_class = str(SPARK_HOME / "bin/spark-class")
    port, ui = free_port(), free_port()
    master_url = f"spark://{HOST}:{port}"
    with stopped_at_exit() as servers:
        master = Server(
            "master",
            [spark_class, "org.apache.spark.deploy.master.Master", "--host", HOST, "--port", str(port)]
            + ["--webui-port", str(ui)],
            tmp,
        )
        servers.append(master)
        for i in range(workers):
            work = tmp / f"worker{i}"
            work.mkdir()
            command = [spark_class, "org.apache.spark.deploy.worker.Worker", master_url, "--host", HOST]
            command += ["--port", str(free_port()), "--webui-port", str(free_port())]
            command += ["--cores", "1", "--memory", "1g", "--work-dir", str(work)]
            servers.append(Server(f"worker{i}", command, tmp))

        def registered() -> bool:
            for server in servers[1:]:
                if server.process.poll() is not None:
                    raise RuntimeError(f"{server.name} exited:\n{server.tail()}")
            with urllib.request.urlopen(f"http://{HOST}:{ui}/json/", timeout=2) as page:
                return json.load(page).get("aliveworkers", 0) >= workers

        master.wait_until(registered)
        yield master_url
