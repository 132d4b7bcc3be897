#!/usr/bin/env python3
"""Build the Linux bundle (PyInstaller, one folder) and a .deb for UOS/Kylin and other Debian-based desktops.

    .venv/bin/python packaging/build_linux.py [--out DIR] [--work DIR]

writes DIR/branchdesk/ (the bundle; default dist/) and DIR/branchdesk_VERSION_ARCH.deb, which installs
the bundle under /opt/branchdesk, a /usr/bin/branchdesk launcher, a Chinese .desktop entry and the
icon under /usr/share/icons/hicolor. Needs PyInstaller (`pip install -c constraints.txt -e .[build]`)
and dpkg-deb.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "packaging" / "branchdesk.spec"

# What the bundle takes from the system: PyInstaller copies the other libraries Qt's xcb plugin needs
# (libxcb-*, libxkbcommon*, libX11, fontconfig, freetype, dbus) but never glibc, OpenGL/EGL or libxcb.
# libc6's version is the newest GLIBC_ symbol the build uses: build on the oldest distribution served.
DEPENDS = ("libgl1", "libegl1", "libxcb1", "fontconfig-config")
RECOMMENDS = "fonts-noto-cjk | fonts-wqy-microhei | fonts-wqy-zenhei"

DESKTOP_ENTRY = """\
[Desktop Entry]
Type=Application
Name=党支部工作台
Name[zh_CN]=党支部工作台
GenericName=党支部台账
Comment=党组织、党员、表彰评议等台账的离线管理与报表导出
Exec=branchdesk
Icon=branchdesk
Terminal=false
Categories=Office;
Keywords=党支部;党员;台账;BranchDesk;
StartupWMClass=branchdesk
"""

LAUNCHER = """\
#!/bin/sh
exec /opt/branchdesk/branchdesk "$@"
"""


def version() -> str:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


def build_bundle(out: Path, work: Path) -> Path:
    """Run PyInstaller; the bundle folder."""
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
                    "--distpath", str(out), "--workpath", str(work), str(SPEC)], check=True)
    return out / "branchdesk"


def tree_size(folder: Path) -> int:
    """Bytes in the files under `folder`, symbolic links (PyInstaller makes some) counted once."""
    return sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def glibc_needed(bundle: Path) -> str:
    """The newest GLIBC_x.y symbol version any binary in the bundle asks for."""
    newest = (2, 17)
    for path in bundle.rglob("*"):
        binary = path.suffix == ".so" or ".so." in path.name or path.name == "branchdesk"
        if binary and path.is_file() and not path.is_symlink():
            data = path.read_bytes()
            start = 0
            while (start := data.find(b"GLIBC_2.", start) + 1) > 0:
                end = start + 7
                while end < len(data) and data[end:end + 1] in b"0123456789.":
                    end += 1
                parts = data[start + 5:end].decode().strip(".").split(".")
                if len(parts) >= 2 and all(parts):
                    newest = max(newest, (int(parts[0]), int(parts[1])))
    return f"{newest[0]}.{newest[1]}"


def build_deb(bundle: Path, out: Path, work: Path) -> Path:
    """Stage the package tree and run dpkg-deb; the .deb."""
    arch = subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True,
                          check=True).stdout.strip()
    stage = work / "deb"
    shutil.rmtree(stage, ignore_errors=True)
    shutil.copytree(bundle, stage / "opt" / "branchdesk", symlinks=True)
    launcher = stage / "usr" / "bin" / "branchdesk"
    launcher.parent.mkdir(parents=True)
    launcher.write_text(LAUNCHER)
    launcher.chmod(0o755)
    applications = stage / "usr" / "share" / "applications"
    applications.mkdir(parents=True)
    (applications / "branchdesk.desktop").write_text(DESKTOP_ENTRY, encoding="utf-8")
    icons = stage / "usr" / "share" / "icons" / "hicolor"
    for png in sorted((work / "branchdesk" / "icons").glob("branchdesk-*.png")):  # rendered by the spec
        size = png.stem.split("-")[1]
        (icons / f"{size}x{size}" / "apps").mkdir(parents=True)
        shutil.copy2(png, icons / f"{size}x{size}" / "apps" / "branchdesk.png")
    (icons / "scalable" / "apps").mkdir(parents=True)
    shutil.copy2(ROOT / "resources" / "icons" / "branchdesk.svg", icons / "scalable" / "apps" / "branchdesk.svg")
    installed_kib = tree_size(stage) // 1024
    control = stage / "DEBIAN" / "control"
    control.parent.mkdir()
    control.write_text(
        f"Package: branchdesk\n"
        f"Version: {version()}\n"
        f"Architecture: {arch}\n"
        f"Maintainer: BranchDesk <branchdesk@localhost>\n"
        f"Installed-Size: {installed_kib}\n"
        f"Depends: libc6 (>= {glibc_needed(bundle)}), {', '.join(DEPENDS)}\n"
        f"Recommends: {RECOMMENDS}\n"
        f"Section: office\n"
        f"Priority: optional\n"
        f"Description: 党支部工作台 BranchDesk\n"
        f" 离线的党支部台账工具：党组织与党员、委员会及任期、组织关系转接、\n"
        f" 表彰与民主评议，导出可上报的 Excel 报表。数据保存在用户数据目录中。\n",
        encoding="utf-8")
    for path in (stage, *stage.rglob("*")):
        if path.is_dir():
            path.chmod(0o755)
    deb = out / f"branchdesk_{version()}_{arch}.deb"
    subprocess.run(["dpkg-deb", "--root-owner-group", "-Zxz", "--build", str(stage), str(deb)],
                   check=True, stdout=subprocess.DEVNULL)
    return deb


def main() -> int:
    parser = argparse.ArgumentParser(description="Build the Linux bundle and .deb of BranchDesk.")
    parser.add_argument("--out", type=Path, default=ROOT / "dist", help="output folder (default dist/)")
    parser.add_argument("--work", type=Path, default=ROOT / "build", help="PyInstaller work folder (default build/)")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # icon rendering needs no display
    started = time.perf_counter()
    bundle = build_bundle(args.out.resolve(), args.work.resolve())
    deb = build_deb(bundle, args.out.resolve(), args.work.resolve())
    bundle_mb = tree_size(bundle) / 1e6
    print(f"bundle {bundle} {bundle_mb:.1f} MB; {deb.name} {deb.stat().st_size / 1e6:.1f} MB; "
          f"{time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
