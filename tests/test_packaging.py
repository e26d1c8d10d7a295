"""``pip install .`` must give a working ``biblio seed``: the seed and the migrations ship
inside the package, not only in the source tree."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_wheel_carries_seed_and_migrations(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    (wheel,) = tmp_path.glob("biblio-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "biblio/seeds/serge.toml" in names
    assert "biblio/migrations/env.py" in names
    assert "biblio/migrations/script.py.mako" in names
    shipped = {n for n in names if n.startswith("biblio/migrations/versions/0")}
    in_tree = {
        f"biblio/migrations/versions/{p.name}" for p in (ROOT / "migrations/versions").glob("0*.py")
    }
    assert shipped == in_tree and len(in_tree) >= 2
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "biblio = biblio.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()
