import re
from pathlib import Path

import pytest

# The same whatever DATABASE_URL says: CI runs it on the PostgreSQL pass only.
pytestmark = pytest.mark.once

ROOT = Path(__file__).resolve().parents[1]


def test_ruff_version_is_the_same_in_pyproject_and_pre_commit():
    pinned = re.search(r'"ruff==([\d.]+)"', (ROOT / "pyproject.toml").read_text()).group(1)
    hook = re.search(r"rev: v([\d.]+)", (ROOT / ".pre-commit-config.yaml").read_text()).group(1)
    assert pinned == hook
