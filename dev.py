#!/usr/bin/env python3
"""Quick start on a fresh machine with Python 3.11+ (Windows, Linux):

    python3 dev.py app     open BranchDesk on a demo database (built on first use)
    python3 dev.py test    lint with ruff and run the test suite

Both create `.venv` beside this file and install the pinned dependencies (constraints.txt) the
first time, and again whenever constraints.txt or pyproject.toml change. Arguments after the
command go to `branchdesk` or to pytest: `python3 dev.py app --db my.sqlite`, `python3 dev.py test -k dues`.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
DEMO_DB = ROOT / ".demo" / "branchdesk-demo.sqlite"


def _python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def _ensure_env() -> None:
    """Create the virtual environment and install the pinned dependencies when they changed."""
    wanted = hashlib.sha256(
        b"".join((ROOT / f).read_bytes() for f in ("constraints.txt", "pyproject.toml"))
    ).hexdigest()
    stamp = VENV / ".branchdesk-installed"
    if stamp.exists() and stamp.read_text() == wanted and _python().exists():
        return
    if not _python().exists():
        print("创建虚拟环境 .venv …", flush=True)
        venv.create(VENV, with_pip=True)
    print("安装依赖（版本见 constraints.txt）…", flush=True)
    subprocess.run([str(_python()), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                    "-c", str(ROOT / "constraints.txt"), "-e", f"{ROOT}[test]"], check=True)
    stamp.write_text(wanted)


def _run(*args: str) -> int:
    return subprocess.run([str(_python()), *args], cwd=ROOT).returncode


def app(args: list[str]) -> int:
    if "--db" not in args:
        if not DEMO_DB.exists():
            DEMO_DB.parent.mkdir(exist_ok=True)
            code = _run("-m", "branchdesk", "demo", "--db", str(DEMO_DB))
            if code:
                return code
        args = ["--db", str(DEMO_DB), *args]
    return _run("-m", "branchdesk", *args)


def test(args: list[str]) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    code = _run("-m", "ruff", "check", "desktop", "tests", "dev.py")
    return code or _run("-m", "pytest", *args)


def main() -> int:
    commands = {"app": app, "test": test}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        print(__doc__)
        return 2
    _ensure_env()
    return commands[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
