"""A local Neo4j 5 (Community) for the tests and for people without Docker.

Neo4j's own test harness, from Maven Central (tools/neo4j-local/pom.xml pins it), runs a
real server in one Java process: Bolt and HTTP on 127.0.0.1, Neo4j Browser at /browser,
the password from NEO4J_PASSWORD, and the data in a directory you choose, kept across
restarts.

    python tools/neo4j_local.py start [--data-dir DIR] [--bolt-port N] [--http-port N]
    python tools/neo4j_local.py stop [--data-dir DIR]
    python tools/neo4j_local.py status [--data-dir DIR]

`start` prints the NEO4J_URI to use. It needs `java` (17 or later) and `mvn` on the PATH;
without them it says so in one line and exits 3, and the Neo4j tests skip with that line.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

PROJECT = Path(__file__).resolve().parent / "neo4j-local"
MAIN_CLASS = "kg.neo4j.LocalNeo4j"
START_TIMEOUT_S = 180.0
STOP_TIMEOUT_S = 60.0
DEFAULT_DATA_DIR = Path(".kg/neo4j")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
# The JVM's heap; the page cache (256 MB) is set in LocalNeo4j.
JAVA_OPTIONS = ["-Xms256m", "-Xmx1g", "-XX:+UseG1GC"]


class Unavailable(RuntimeError):
    """Java or Maven is missing, or the harness could not be built or started."""


@dataclass(frozen=True)
class Server:
    pid: int
    bolt_uri: str
    http_uri: str
    data_dir: Path

    @property
    def browser_url(self) -> str:
        return self.http_uri.rstrip("/") + "/browser/"


def _state_file(data_dir: Path) -> Path:
    return data_dir / "neo4j.json"


def _log_file(data_dir: Path) -> Path:
    return data_dir / "neo4j.log"


def build(project: Path = PROJECT) -> str:
    """Build the launcher (once; again only when its sources change); its classpath.

    Two processes may start a server at once (`make test` runs two test workers, each
    with its own Neo4j): the build holds a lock, so the second waits for the first's
    build and finds it done, rather than running Maven into the same directory."""
    for tool in ("java", "mvn"):
        if shutil.which(tool) is None:
            raise Unavailable(f"{tool} is not on the PATH: the local Neo4j needs Java and Maven")
    target = project / "target"
    stamp = target / "lib" / ".built"
    sources = [project / "pom.xml", *project.glob("src/**/*.java")]
    target.mkdir(exist_ok=True)
    with open(target / ".build.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not stamp.exists() or any(s.stat().st_mtime > stamp.stat().st_mtime for s in sources):
            done = subprocess.run(
                [
                    "mvn",
                    "-q",
                    "-B",
                    "-Dstyle.color=never",
                    "-f",
                    str(project / "pom.xml"),
                    "package",
                ],
                capture_output=True,
                text=True,
            )
            if done.returncode != 0:
                raise Unavailable(f"building the local Neo4j failed: {_last_line_of(done)}")
            stamp.touch()
    return f"{target / 'classes'}{os.pathsep}{target / 'lib' / '*'}"


def _last_line_of(done: subprocess.CompletedProcess[str]) -> str:
    """The last line of a command's output that says something (no colour codes)."""
    lines = [_ANSI.sub("", line).strip() for line in (done.stdout + done.stderr).splitlines()]
    said = [line for line in lines if line]
    return said[-1] if said else f"exit code {done.returncode}, no output"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie child (killed, not yet reaped) still answers kill(0).
    with contextlib.suppress(OSError):
        if Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z":
            return False
    return True


def running(data_dir: Path = DEFAULT_DATA_DIR) -> Server | None:
    """The server of this data dir, if its process is alive."""
    try:
        state = json.loads(_state_file(data_dir).read_text())
    except (OSError, ValueError):
        return None
    server = Server(state["pid"], state["bolt_uri"], state["http_uri"], data_dir)
    return server if _alive(server.pid) else None


def start(
    data_dir: Path = DEFAULT_DATA_DIR,
    bolt_port: int = 7687,
    http_port: int = 7474,
    password: str | None = None,
) -> Server:
    """Start Neo4j on this data dir (or find it running) and wait until Bolt answers."""
    data_dir = data_dir.resolve()
    if server := running(data_dir):
        return server
    password = password or os.environ.get("NEO4J_PASSWORD")
    if not password or len(password) < 8:
        raise Unavailable("set NEO4J_PASSWORD (8 characters or more) for the local Neo4j")
    classpath = build()
    data_dir.mkdir(parents=True, exist_ok=True)
    log = _log_file(data_dir)
    arguments = [str(data_dir), str(bolt_port), str(http_port)]
    with log.open("w") as out:
        process = subprocess.Popen(
            ["java", *JAVA_OPTIONS, "-cp", classpath, MAIN_CLASS, *arguments],
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env={**os.environ, "NEO4J_PASSWORD": password},
            start_new_session=True,  # it outlives the command that started it
        )
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        lines = log.read_text(errors="replace").splitlines()
        ready = [line for line in lines if line.startswith("ready ")]
        if ready:
            _, bolt_uri, http_uri = ready[0].split()
            server = Server(process.pid, bolt_uri.rstrip("/"), http_uri, data_dir)
            _state_file(data_dir).write_text(
                json.dumps({"pid": server.pid, "bolt_uri": server.bolt_uri, "http_uri": http_uri})
            )
            return server
        if process.poll() is not None:
            raise Unavailable(f"the local Neo4j exited at start: {_last_line(log)}")
        time.sleep(0.2)
    process.kill()
    raise Unavailable(
        f"the local Neo4j did not start within {START_TIMEOUT_S:.0f}s: {_last_line(log)}"
    )


def _last_line(log: Path) -> str:
    lines = [line for line in log.read_text(errors="replace").splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith(("failed:", "Exception", "ERROR"))]
    return (errors or lines or ["(no output)"])[-1].strip()


def stop(data_dir: Path = DEFAULT_DATA_DIR, kill: bool = False) -> None:
    """Stop the server of this data dir: cleanly (SIGTERM), or as a crash would (kill)."""
    server = running(data_dir.resolve())
    if server is None:
        return
    os.kill(server.pid, signal.SIGKILL if kill else signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT_S
    while _alive(server.pid) and time.monotonic() < deadline:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(server.pid, os.WNOHANG)
        time.sleep(0.1)
    if _alive(server.pid):
        os.kill(server.pid, signal.SIGKILL)
    _state_file(server.data_dir).unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["start", "stop", "status"])
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--bolt-port", type=int, default=7687)
    parser.add_argument("--http-port", type=int, default=7474)
    args = parser.parse_args(argv)
    try:
        if args.command == "start":
            server = start(args.data_dir, args.bolt_port, args.http_port)
            print(f"export NEO4J_URI={server.bolt_uri} NEO4J_USER=neo4j")
            print(f"# Neo4j Browser: {server.browser_url} (pid {server.pid})")
        elif args.command == "stop":
            stop(args.data_dir)
        else:
            server = running(args.data_dir.resolve())
            print(f"running: {server.bolt_uri} (pid {server.pid})" if server else "not running")
            return 0 if server else 1
    except Unavailable as exc:
        print(f"neo4j-local: {exc}", file=sys.stderr)
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main())
