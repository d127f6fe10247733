"""Helpers shared by the benchmarks: scratch databases, child environments, machine facts.

Every benchmark runs Django in child processes, against a database it creates for the run and
removes afterwards, so nothing it does touches var/guiyan.sqlite3 or another PostgreSQL
database.
"""

import contextlib
import datetime
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
RESULTS = ROOT / "bench" / "results"
BACKENDS = ("sqlite", "postgres")
POSTGRES_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/{name}"
# Byte-code goes to its own cache, outside the tree: see child_env.
PYCACHE = Path(tempfile.gettempdir()) / "guiyan-bench-pycache"


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


def manage(env: dict, *args: str) -> str:
    """Run one manage.py command to completion and return its output; fail loudly."""
    done = subprocess.run(
        [str(PYTHON), "manage.py", *args],
        cwd=ROOT,
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


def _postgres(statement: str, params: tuple = ()) -> list[tuple]:
    import psycopg

    with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as connection:
        cursor = connection.execute(statement, params)
        return cursor.fetchall() if cursor.description else []


def postgres_backend_pids(database: str) -> list[int]:
    """The server processes serving connections to `database` right now."""
    rows = _postgres("SELECT pid FROM pg_stat_activity WHERE datname = %s", (database,))
    return sorted(pid for (pid,) in rows)


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
