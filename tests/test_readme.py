"""The README stays true: its two commands exist and work, and every setting it lists is read."""

import os
import re
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

# The same whatever DATABASE_URL says: CI runs it on the PostgreSQL pass only.
pytestmark = pytest.mark.once

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _code_blocks() -> list[str]:
    return [block.strip() for block in re.findall(r"```sh\n(.*?)```", README, re.S)]


def test_readme_opens_with_exactly_the_two_commands():
    demo, test = _code_blocks()[:2]
    assert (demo, test) == ("bin/demo", "bin/test")
    for script in (demo, test):
        assert os.access(ROOT / script, os.X_OK)


def test_ci_runs_the_readme_test_command_on_both_databases():
    ci = (ROOT / ".ci" / "run").read_text()
    runs = [line for line in ci.splitlines() if "bin/test" in line and not line.startswith("#")]
    assert len(runs) == 2
    assert "sqlite" in runs[1] and "sqlite" not in runs[0]


def test_every_environment_variable_the_settings_read_is_documented():
    settings_text = "".join(p.read_text() for p in (ROOT / "portal" / "settings").glob("*.py"))
    names = set(re.findall(r'env\.\w+\(\s*"([A-Z_]+)"', settings_text))
    assert names, "the settings read nothing from the environment?"
    missing = sorted(name for name in names if f"`{name}`" not in README)
    assert not missing


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(url: str, process: subprocess.Popen, seconds: int = 240) -> bytes:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"bin/demo exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback
                return response.read()
        except OSError:
            time.sleep(1)
    pytest.fail(f"{url} did not answer within {seconds} s")


def test_demo_command_serves_the_seeded_site(tmp_path):
    """bin/demo on a fresh SQLite file: installs (already done here), migrates, seeds, serves."""
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        "DEMO_ADDRESS": f"127.0.0.1:{port}",
        "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
    }
    log = tmp_path / "demo.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [str(ROOT / "bin" / "demo")],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            home = _wait_for(f"http://127.0.0.1:{port}/", process).decode()
            health = _wait_for(f"http://127.0.0.1:{port}/healthz", process).decode()
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
    printed = log.read_text()
    assert "归雁" in home and "登录" in home
    assert '"database": "ok"' in health
    assert "Guiyan@2026" in printed
    for username in (
        "admin",
        "county_admin",
        "secretary",
        "editor",
        "reviewer",
        "recruiter",
        "13900000001",
    ):
        assert username in printed
