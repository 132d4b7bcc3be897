"""Render resources/icons/branchdesk.svg to PNGs and a Windows .ico with Qt, at build time.

    python packaging/icons.py OUT_DIR

writes OUT_DIR/branchdesk-SIZE.png for each size in SIZES and OUT_DIR/branchdesk.ico (PNG entries,
which Windows reads since Vista), so no binary icon is kept in the repository.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

SVG = Path(__file__).resolve().parents[1] / "resources" / "icons" / "branchdesk.svg"
SIZES = (16, 24, 32, 48, 64, 128, 256)


def render(out_dir: Path) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication([])
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"cannot read {SVG}")
    out_dir.mkdir(parents=True, exist_ok=True)
    pngs: list[bytes] = []
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        renderer.render(painter)
        painter.end()
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")
        buffer.close()
        pngs.append(bytes(data))
        (out_dir / f"branchdesk-{size}.png").write_bytes(pngs[-1])
    (out_dir / "branchdesk.ico").write_bytes(_ico(pngs))


def _ico(pngs: list[bytes]) -> bytes:
    """An ICO file holding the PNGs as they are (ICONDIR, one ICONDIRENTRY per image, the images)."""
    header = struct.pack("<HHH", 0, 1, len(pngs))
    offset = len(header) + 16 * len(pngs)
    entries, images = b"", b""
    for size, png in zip(SIZES, pngs, strict=True):
        side = 0 if size >= 256 else size  # 0 means 256
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset)
        images += png
        offset += len(png)
    return header + entries + images


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    render(Path(sys.argv[1]))
