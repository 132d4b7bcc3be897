"""Benchmark: `demo --scale large` insert rate vs plain sqlite3 executemany (design.md §8: ≤ 1.5×).

Run: .venv/bin/python tests/bench/bench_demo_insert.py [--repeat N]

Both sides write the same generated rows into a fresh file carrying the same schema, in one
transaction. The baseline is a bare sqlite3 connection with its defaults, the rows alone (their uid left
NULL, so it pays nothing for stable ids); the demo path is `demo.write` on a connection from
`open_database` (foreign keys on), which also gives every row its uid. The whole `demo.build`
(generating the rows too) is printed beside it for reference.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sqlite3
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from branchdesk.services import demo
from branchdesk.store.connection import open_database

TODAY = dt.date(2026, 11, 23)
SEED = 1


def fresh_schema(folder: Path, name: str) -> Path:
    path = folder / f"{name}.sqlite"
    open_database(path).close()
    return path


def raw_executemany(path: Path, data: demo.DemoData) -> float:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        started = time.perf_counter()
        conn.execute("BEGIN")
        for table, rows in data.rows.items():
            columns = demo.COLUMNS[table]
            conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                             rows)
        conn.execute("COMMIT")
        return time.perf_counter() - started
    finally:
        conn.close()


def demo_write(path: Path, data: demo.DemoData) -> float:
    db = open_database(path)
    try:
        started = time.perf_counter()
        with db.atomic():
            demo.write(db, data)
        return time.perf_counter() - started
    finally:
        db.close()


def demo_build(path: Path, _data: demo.DemoData) -> float:
    db = open_database(path)
    try:
        started = time.perf_counter()
        demo.build(db, scale="large", seed=SEED, today=TODAY)
        return time.perf_counter() - started
    finally:
        db.close()


def best_of(repeat: int, folder: Path, name: str, data: demo.DemoData,
            run: Callable[[Path, demo.DemoData], float]) -> float:
    return min(run(fresh_schema(folder, f"{name}-{i}"), data) for i in range(repeat))


def main() -> None:
    parser = argparse.ArgumentParser(description="demo --scale large 写入速度与 sqlite3 executemany 的比较")
    parser.add_argument("--repeat", type=int, default=3, help="每项重复次数，取最快一次（默认 3）")
    args = parser.parse_args()
    data = demo.generate("large", SEED, TODAY)
    rows = sum(data.counts().values())
    with tempfile.TemporaryDirectory(prefix="branchdesk-bench-") as tmp:
        folder = Path(tmp)
        raw = best_of(args.repeat, folder, "raw", data, raw_executemany)
        write = best_of(args.repeat, folder, "write", data, demo_write)
        build = best_of(args.repeat, folder, "build", data, demo_build)
    print(f"rows: {rows} ({', '.join(f'{t} {n}' for t, n in data.counts().items())}); best of {args.repeat}")
    print(f"plain sqlite3 executemany, one transaction: {raw:.3f} s, {rows / raw:,.0f} rows/s")
    print(f"demo insert (demo.write in db.atomic()):    {write:.3f} s, {rows / write:,.0f} rows/s, "
          f"ratio {write / raw:.2f} (target <= 1.5)")
    print(f"whole demo.build (generate + insert):       {build:.3f} s, {rows / build:,.0f} rows/s, "
          f"ratio {build / raw:.2f}")


if __name__ == "__main__":
    main()
