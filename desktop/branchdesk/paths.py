"""Where the app's own files are: the source tree, or the bundle of a frozen build."""

from __future__ import annotations

import sys
from pathlib import Path


def project_root() -> Path:
    # PyInstaller unpacks data beside the executable and names the folder in sys._MEIPASS.
    frozen = getattr(sys, "_MEIPASS", None)
    return Path(frozen) if frozen else Path(__file__).resolve().parents[2]


def resources_dir() -> Path:
    return project_root() / "resources"


def seeds_dir() -> Path:
    return project_root() / "seeds"
