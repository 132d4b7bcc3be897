"""Frozen-build smoke test (marker `packaging`, not in the default run; `.ci/run` calls it).

Builds the Linux bundle and .deb once with packaging/build_linux.py into a temporary folder, then runs
the frozen `branchdesk` from the bundle and from the extracted .deb.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from branchdesk.ui.main_window import PAGES

pytestmark = pytest.mark.packaging

ROOT = Path(__file__).resolve().parents[2]
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]

# Lines a healthy frozen run may write to stderr (none so far); anything else fails the test.
ALLOWED_STDERR: tuple[re.Pattern[str], ...] = ()


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The output folder of one build: branchdesk/ (the bundle) and branchdesk_VERSION_ARCH.deb."""
    base = tmp_path_factory.mktemp("build")
    subprocess.run([sys.executable, str(ROOT / "packaging" / "build_linux.py"),
                    "--out", str(base / "dist"), "--work", str(base / "work")], check=True, timeout=600)
    return base / "dist"


@pytest.fixture(scope="module")
def deb(build: Path) -> Path:
    (package,) = build.glob("branchdesk_*.deb")
    return package


@pytest.fixture(scope="module")
def extracted(deb: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("deb")
    subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
    subprocess.run(["dpkg-deb", "-e", str(deb), str(root / "DEBIAN")], check=True)
    return root


def run(executable: Path, *args: str, cwd: Path) -> str:
    """Run the frozen program offscreen; its stdout. Fails on a non-zero exit or unexpected stderr."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([str(executable), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"{args}: exit {done.returncode}\n{done.stderr}"
    unexpected = [line for line in done.stderr.splitlines()
                  if line.strip() and not any(p.search(line) for p in ALLOWED_STDERR)]
    assert not unexpected, f"{args}: unexpected stderr\n" + "\n".join(unexpected)
    return done.stdout


def exercise(executable: Path, folder: Path) -> None:
    """--smoke, demo and check --json, as an IT officer's first try would."""
    out = run(executable, "--smoke", cwd=folder)
    assert f"visited {len(PAGES)} pages, 0 errors" in out
    assert "Qt Cancel = 取消" in out  # qtbase_zh_CN.qm is found at run time, not only shipped
    db = folder / "demo.sqlite"
    run(executable, "demo", "--db", str(db), cwd=folder)
    result = json.loads(run(executable, "check", "--db", str(db), "--json", cwd=folder))
    assert result["ok"] is True
    assert result["counts"]["members"] > 0


def test_frozen_bundle_runs(build: Path, tmp_path: Path) -> None:
    exercise(build / "branchdesk" / "branchdesk", tmp_path)


def test_deb_bundle_runs(extracted: Path, tmp_path: Path) -> None:
    exercise(extracted / "opt" / "branchdesk" / "branchdesk", tmp_path)


def test_bundle_contents(build: Path) -> None:
    internal = build / "branchdesk" / "_internal"
    assert (internal / "VERSION").read_text(encoding="utf-8").strip() == VERSION
    assert (internal / "PySide6" / "Qt" / "translations" / "qtbase_zh_CN.qm").is_file()
    assert (internal / "lxml").is_dir()
    assert (internal / "resources" / "style.qss").is_file()
    assert any((internal / "seeds").glob("*.toml"))
    names = {path.name for path in internal.rglob("*")}
    for stray in ("numpy", "tkinter", "_tkinter", "PIL", "libQt6Network.so.6", "libQt6Qml.so.6"):
        assert not any(name == stray or name.startswith(f"{stray}.") for name in names), stray


def test_deb_metadata(deb: Path, extracted: Path) -> None:
    assert deb.name.startswith(f"branchdesk_{VERSION}_")
    fields = dict(re.findall(r"^(\S+): (.*)$", (extracted / "DEBIAN" / "control").read_text(encoding="utf-8"), re.M))
    assert fields["Package"] == "branchdesk"
    assert fields["Version"] == VERSION
    assert "libxcb1" in fields["Depends"] and "libc6" in fields["Depends"]
    assert (extracted / "usr" / "bin" / "branchdesk").read_text().strip().endswith('/opt/branchdesk/branchdesk "$@"')
    desktop = (extracted / "usr" / "share" / "applications" / "branchdesk.desktop").read_text(encoding="utf-8")
    for line in ("Name=党支部工作台", "Exec=branchdesk", "Icon=branchdesk", "Type=Application"):
        assert line in desktop.splitlines()
    icons = extracted / "usr" / "share" / "icons" / "hicolor"
    assert (icons / "256x256" / "apps" / "branchdesk.png").read_bytes().startswith(b"\x89PNG")
    assert (icons / "scalable" / "apps" / "branchdesk.svg").is_file()
    assert (extracted / "opt" / "branchdesk" / "_internal" / "VERSION").read_text().strip() == VERSION
