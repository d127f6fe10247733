"""Helpers shared by the benchmarks: scratch databases, child environments, machine facts.

Every benchmark runs Django in child processes, against a database it creates for the run and
removes afterwards, so nothing it does touches var/guiyan.sqlite3 or another PostgreSQL
database.
"""

import contextlib
import datetime
import http.client
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
RESULTS = ROOT / "bench" / "results"
BACKENDS = ("sqlite", "postgres")
POSTGRES_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/{name}"
# Byte-code goes to its own cache, outside the tree: see child_env.
PYCACHE = Path(tempfile.gettempdir()) / "guiyan-bench-pycache"
HOST = "127.0.0.1"
# Every request says it came through the TLS-terminating proxy, as in production.
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def backends(choice: str) -> list[str]:
    return list(BACKENDS) if choice == "both" else [choice]


def child_env(database_url: str, settings: str = "portal.settings.dev", **extra: str) -> dict:
    """The environment for a manage.py or gunicorn child.

    The shell these machines give us sets PYTHONDONTWRITEBYTECODE, which makes every Python
    process compile all of Django and Wagtail again (about 1.5 s of CPU). No deployment runs
    like that, so the children keep their byte-code, in a cache of their own outside the tree.
    """
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update(
        PYTHONPYCACHEPREFIX=str(PYCACHE),
        DJANGO_SETTINGS_MODULE=settings,
        DATABASE_URL=database_url,
        **extra,
    )
    return env


def manage(env: dict, *args: str, python: Path = PYTHON, cwd: Path = ROOT) -> str:
    """Run one manage.py command to completion and return its output; fail loudly.

    python and cwd default to this project; another Django project passes its own."""
    done = subprocess.run(
        [str(python), "manage.py", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"manage.py {' '.join(args)} failed with status {done.returncode}")
    return done.stdout


@contextlib.contextmanager
def scratch_database(backend: str, name: str) -> Iterator[str]:
    """A fresh, empty database for one run; yields its DATABASE_URL and removes it after."""
    if backend == "sqlite":
        folder = Path(tempfile.mkdtemp(prefix=f"{name}-"))
        try:
            yield f"sqlite:///{folder / 'db.sqlite3'}"
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return
    _postgres(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _postgres(f'CREATE DATABASE "{name}"')
    try:
        yield POSTGRES_URL.format(name=name)
    finally:
        _postgres(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def child_runs(
    script: str, database: str, backend_choice: str, child_args: list[str], *, env_drop=()
) -> dict[str, dict]:
    """For each backend: a scratch database, migrated; ``script`` run again with ``--child``
    and ``child_args`` against it; its last line of output read as JSON."""
    runs = {}
    for backend in backends(backend_choice):
        with scratch_database(backend, database) as url:
            env = child_env(url)
            for name in env_drop:
                env.pop(name, None)
            manage(env, "migrate", "--no-input")
            done = subprocess.run(
                [str(PYTHON), script, "--child", *child_args],
                env=env,
                cwd=ROOT / "bench",
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode != 0:
                sys.stderr.write(done.stderr[-5000:])
                raise SystemExit(f"{backend}: the child failed with status {done.returncode}")
            runs[backend] = json.loads(done.stdout.strip().splitlines()[-1])
    return runs


def _postgres(statement: str, params: tuple = ()) -> list[tuple]:
    import psycopg

    with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as connection:
        cursor = connection.execute(statement, params)
        return cursor.fetchall() if cursor.description else []


def postgres_backend_pids(database: str) -> list[int]:
    """The server processes serving connections to `database` right now."""
    rows = _postgres("SELECT pid FROM pg_stat_activity WHERE datname = %s", (database,))
    return sorted(pid for (pid,) in rows)


@contextlib.contextmanager
def gunicorn(
    env: dict,
    app: str = "portal.wsgi",
    cwd: Path = ROOT,
    executable: Path = GUNICORN,
    ready_path: str = "/healthz",
    port: int = 0,
) -> Iterator[tuple[int, int]]:
    """Start gunicorn with two sync workers; yield (master pid, port); always stop it.

    It listens on `port` (a free one when 0) and counts as started once ready_path answers
    200."""
    port = port or free_port()
    command = [str(executable), app, "-w", "2", "-b", f"{HOST}:{port}"]
    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen(command, cwd=cwd, env=env, stdout=log, stderr=log)
        try:
            wait_until_ready(server, port, ready_path)
            yield server.pid, port
        except BaseException:
            log.seek(0)
            print(log.read().decode(errors="replace")[-3000:])
            raise
        finally:
            stop(server)


def stop(server: subprocess.Popen) -> None:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def wait_until_ready(
    server: subprocess.Popen, port: int, path: str = "/healthz", timeout: float = 240
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with status {server.returncode}")
        with contextlib.suppress(OSError):
            if get(port, path, "")[0] == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer {path} in time")


def request(
    port: int, method: str, path: str, headers: dict, body: str | None = None
) -> tuple[http.client.HTTPResponse, str]:
    """One request on a fresh connection, as if through the TLS-terminating proxy."""
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.request(method, path, body=body, headers={**PROXY_HEADERS, **headers})
        response = connection.getresponse()
        return response, response.read().decode(errors="replace")
    finally:
        connection.close()


def get(port: int, path: str, cookie: str) -> tuple[int, str]:
    response, text = request(port, "GET", path, {"Cookie": cookie} if cookie else {})
    return response.status, text


def load(port: int, path: str, cookie: str, marker: str, count: int, clients: int) -> Counter:
    """Send `count` GETs from `clients` threads; count outcomes ("ok" = 200 with marker)."""

    def one() -> Counter:
        try:
            status, body = get(port, path, cookie)
        except OSError as exc:
            return Counter({type(exc).__name__: 1})
        return Counter({"ok" if status == 200 and marker in body else f"status {status}": 1})

    return in_threads(count, clients, one)


def in_threads(count: int, clients: int, one: Callable[[], Counter]) -> Counter:
    """Call `one` `count` times, shared among `clients` threads; add up what it returns."""
    outcomes: Counter = Counter()
    lock = threading.Lock()

    def client(share: int) -> None:
        mine: Counter = Counter()
        for _ in range(share):
            mine.update(one())
        with lock:
            outcomes.update(mine)

    shares = [count // clients + (i < count % clients) for i in range(clients)]
    threads = [threading.Thread(target=client, args=(share,)) for share in shares]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def worker_pids(master: int) -> list[int]:
    """A gunicorn master's workers: its children."""
    path = Path(f"/proc/{master}/task/{master}/children")
    return sorted(int(pid) for pid in path.read_text().split())


def cpu_seconds(pids: list[int]) -> float:
    """utime + stime of the processes, from /proc/<pid>/stat (fields 14 and 15)."""
    ticks = 0
    for pid in pids:
        stat = Path(f"/proc/{pid}/stat").read_text()
        fields = stat.rsplit(")", 1)[1].split()  # the command name may contain spaces
        ticks += int(fields[11]) + int(fields[12])
    return ticks / CLOCK_TICKS


def machine() -> dict:
    """Facts to record next to every figure; call it before the run for the load average."""
    model = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    return {
        "date": datetime.date.today().isoformat(),
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "memory_gib": round(pages / 2**30, 1),
        "os": _os_name(),
        "python": platform.python_version(),
        "postgresql": _postgres_version(),
        "commit": _git("rev-parse", "--short", "HEAD"),
        "load_average_before": [round(load, 2) for load in os.getloadavg()],
    }


def _os_name() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                return line.split("=", 1)[1].strip('"')
    return platform.platform()


def _postgres_version() -> str:
    try:
        import psycopg

        with psycopg.connect(POSTGRES_ADMIN) as connection:
            return connection.execute("SHOW server_version").fetchone()[0]
    except Exception:  # noqa: BLE001 - the version is a label, not a requirement
        return "unavailable"


def _git(*args: str) -> str:
    done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
    return done.stdout.strip()


def write_results(name: str, data: dict) -> Path:
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = RESULTS / f"{name}-{stamp}.json"
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    return path


def print_table(header: tuple, rows: list[tuple]) -> None:
    """Print rows as right-aligned columns under the header."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=True)]
    for row in (header, *rows):
        print("  ".join(str(cell).rjust(width) for cell, width in zip(row, widths, strict=True)))
