"""Crash safety (design.md §9, issue 8): SIGKILL at random moments leaves a database that passes
`check` and holds exactly the committed actions.

Each scenario runs the real command line (or a small child script) in a subprocess and kills it,
round after round, with a seeded random generator so a failing round reproduces. Half the rounds
kill after a random delay drawn from the measured duration of an uninterrupted run; the other half
kill once the -wal file has grown past a random size, i.e. while the transaction's pages (or its
commit) are being written. Rounds in which the process finished before the kill are not counted.
"""

from __future__ import annotations

import csv
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from branchdesk.domain import idnumber
from branchdesk.imports.members import COLUMNS
from branchdesk.services.check import check

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)")

SEED = 20261123
KILLS = 10  # per scenario: 30 in all
MAX_ROUNDS = 40  # a scenario gives up (and fails) when this many rounds yield fewer kills
REPO = Path(__file__).resolve().parents[2]
CHILD = Path(__file__).with_name("create_members.py")
# Columns whose values differ between two runs of the same action (random uids, clock times).
VOLATILE = {"uid", "record_uid", "created_at", "updated_at", "recorded_at", "deleted_at", "at"}


def _env() -> dict[str, str]:
    env = dict(os.environ)
    paths = [str(REPO / "desktop"), str(REPO)]
    env["PYTHONPATH"] = os.pathsep.join(paths + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    return env


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "branchdesk", *args]


def _run(cmd: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=REPO, env=_env(), capture_output=True, text=True, timeout=120)


@dataclass
class Round:
    """One attempt: how it was to be killed and whether the kill happened before the process ended."""

    number: int
    delay: float | None = None
    wal_bytes: int | None = None
    killed: bool = False
    elapsed: float = 0.0
    ran: float = 0.0  # from the `after_line` (or the start) to the kill or the end
    stdout: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        how = f"after {self.delay:.3f} s" if self.delay is not None else f"at -wal ≥ {self.wal_bytes} bytes"
        return f"round {self.number} (seed {SEED}): kill {how}, killed at {self.elapsed:.3f} s"


def _kill_during(cmd: list[str], r: Round, wal: Path, timeout: float, after_line: str | None = None) -> Round:
    """Start `cmd`, SIGKILL it when the round says, and collect what it printed.

    With `after_line`, the round's delay counts from when the process printed that line.
    """
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=REPO, env=_env(), stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    assert proc.stdout is not None
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(line.rstrip("\n") for line in proc.stdout), daemon=True)
    reader.start()
    try:
        deadline = started + (r.delay if r.delay is not None else timeout)
        waiting, mark = after_line is not None, started
        while proc.poll() is None:
            now = time.perf_counter()
            if waiting:
                if after_line in lines:
                    waiting, mark, deadline = False, now, now + (r.delay or 0.0)
                elif now - started > timeout:
                    raise AssertionError(f"{r}: the child never printed {after_line!r}")
                time.sleep(0.0005)
                continue
            size = _size(wal) if r.wal_bytes is not None else -1
            if now >= deadline or (r.wal_bytes is not None and size >= r.wal_bytes):
                os.kill(proc.pid, signal.SIGKILL)
                r.elapsed = now - started
                break
            time.sleep(0.0005)
        code = proc.wait(timeout=30)
        r.ran = time.perf_counter() - mark
        r.killed = code == -signal.SIGKILL
        reader.join(timeout=30)
        r.stdout = list(lines)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
    return r


def _size(path: Path) -> int:
    """The file's size, -1 when it does not exist (SQLite deletes the -wal on the last close)."""
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return -1


def _rounds(rng: random.Random, duration: float, wal_peak: int):
    """Endless rounds, alternating a random delay and a random -wal size; every fourth round
    waits for the -wal to reach its peak (the commit written, not yet checkpointed)."""
    n = 0
    while True:
        n += 1
        if n % 2:
            yield Round(n, delay=rng.uniform(0.0, duration))
        elif n % 4 == 0:
            yield Round(n, wal_bytes=max(1, wal_peak))
        else:
            yield Round(n, wal_bytes=rng.randint(1, max(1, wal_peak)))


def _measure(cmd: list[str], wal: Path) -> tuple[float, int]:
    """Wall time of an uninterrupted run and the largest size its -wal file reached."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=REPO, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, _size(wal))
        time.sleep(0.0005)
    duration = time.perf_counter() - started
    assert proc.stderr is not None
    err = proc.stderr.read()
    proc.stderr.close()
    assert proc.returncode in (0, 1), err
    return duration, peak


def _content(path: Path) -> dict[str, list[tuple]]:
    """Every table's rows without the volatile columns, sorted: what the database holds."""
    conn = sqlite3.connect(path)
    try:
        tables = [t for (t,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        content = {}
        for t in tables:
            cols = [c[1] for c in conn.execute(f"PRAGMA table_info([{t}])") if c[1] not in VOLATILE]
            rows = conn.execute(f"SELECT {', '.join(f'[{c}]' for c in cols)} FROM [{t}]").fetchall()
            content[t] = sorted(rows, key=repr)
        return content
    finally:
        conn.close()


def _checked(path: Path, r: Round) -> dict:
    result = check(path)
    assert result["ok"], f"{r}: check failed: {result}"
    return result


def _remove(path: Path) -> None:
    for p in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        p.unlink(missing_ok=True)


def _wal(path: Path) -> Path:
    return path.with_name(path.name + "-wal")


# --- demo build ------------------------------------------------------------------------------

# The small demo (≈45,000 rows with its meetings, attendance and dues) writes for long enough to be
# killed part-way; the large one now takes half a minute a build, ten minutes for the whole test.
DEMO_SCALE = "small"


def test_demo_build_killed_at_random(tmp_path: Path) -> None:
    """A killed `demo` leaves the whole demo or no organizations at all; an empty one builds again."""
    reference = tmp_path / "reference.sqlite"
    cmd = _cli("demo", "--db", str(reference), "--scale", DEMO_SCALE)
    duration, wal_peak = _measure(cmd, _wal(reference))
    expected = check(reference)
    assert expected["ok"] and expected["counts"]["organizations"] > 0, expected
    small = tmp_path / "small.sqlite"
    assert _run(_cli("demo", "--db", str(small))).returncode == 0
    small_counts = check(small)["counts"]

    rng = random.Random(SEED)
    db = tmp_path / "killed.sqlite"
    kills, outcomes, log = 0, {"whole": 0, "empty": 0, "no file": 0}, []
    for r in _rounds(rng, duration, wal_peak):
        if kills >= KILLS or r.number > MAX_ROUNDS:
            break
        _remove(db)
        _kill_during(_cli("demo", "--db", str(db), "--scale", DEMO_SCALE), r, _wal(db), timeout=duration * 3)
        log.append(f"{r} → killed={r.killed}")
        if not r.killed:
            continue
        kills += 1
        if not db.exists():  # killed before SQLite created the file: nothing to check
            outcomes["no file"] += 1
            continue
        result = _checked(db, r)
        if result["counts"] == expected["counts"]:
            outcomes["whole"] += 1
            assert _content(db) == _content(reference), f"{r}: counts match but content differs"
            continue
        assert result["counts"]["organizations"] == 0, f"{r}: partial demo: {result['counts']}"
        assert all(n == 0 for n in result["counts"].values()), f"{r}: {result['counts']}"
        outcomes["empty"] += 1
        # The emptied database is still usable: a second demo (small, to keep the test quick) works.
        done = _run(_cli("demo", "--db", str(db)))
        assert done.returncode == 0, f"{r}: second demo failed: {done.stderr}"
        again = _checked(db, r)
        assert again["counts"] == small_counts, f"{r}: second demo gave {again['counts']}"
    print(f"demo: {kills} kills, build {duration:.2f} s, -wal peak {wal_peak} bytes, outcomes {outcomes}")
    print("\n".join(log))
    assert kills >= KILLS, "\n".join(log)


# --- bulk member import ----------------------------------------------------------------------

IMPORT_ROWS = 3000
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红"


def _import_file(path: Path, rng: random.Random) -> tuple[Path, int]:
    """A CSV of IMPORT_ROWS people, a few of them with problems; the number of valid rows."""
    rows, bad = [], 0
    for n in range(IMPORT_ROWS):
        birth_year = rng.randint(1960, 2000)
        birth = f"{birth_year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        male = n % 2 == 0
        seq = f"{(n % 400) * 2 + (1 if male else 0):03d}"
        body = f"9901{n // 400:02d}{birth.replace('-', '')}{seq}"
        id_number = body + idnumber.check_char(body)
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))
        values = {"姓名": name, "性别": "男" if male else "女", "民族": "汉族", "出生日期": birth,
                  "身份证号": id_number, "学历": "大学本科", "人员类别": "正式党员",
                  "入党日期": f"{birth_year + 25}-07-01", "转正日期": f"{birth_year + 26}-07-01",
                  "党费类别": "在职", "党费基数": str(rng.randint(3000, 12000)), "所在党小组": "",
                  "联系电话": f"139{rng.randint(0, 99999999):08d}", "备注": ""}
        if n % 500 == 7:  # a wrong check digit
            values["身份证号"] = body + ("0" if id_number[-1] != "0" else "1")
            bad += 1
        elif n % 500 == 123:  # a date that does not exist
            values["入党日期"] = f"{birth_year + 25}-13-45"
            bad += 1
        rows.append([values[c] for c in COLUMNS])
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(list(COLUMNS))
        w.writerows(rows)
    return path, IMPORT_ROWS - bad


def test_member_import_killed_at_random(tmp_path: Path) -> None:
    """A killed `import members` leaves exactly the members before, or those plus every valid row."""
    base = tmp_path / "base.sqlite"
    assert _run(_cli("demo", "--db", str(base))).returncode == 0
    conn = sqlite3.connect(base)
    branch, before_members = conn.execute(
        "SELECT o.id, count(m.id) FROM organizations o JOIN members m ON m.org_id = o.id "
        "WHERE o.kind = 'branch' GROUP BY o.id ORDER BY count(m.id) DESC LIMIT 1").fetchone()
    conn.close()
    assert before_members > 0  # the branch already holds committed members
    rng = random.Random(SEED)
    file, valid = _import_file(tmp_path / "roster.csv", rng)
    before = _content(base)
    members_before = check(base)["counts"]["members"]

    reference = tmp_path / "reference.sqlite"
    shutil.copyfile(base, reference)
    cmd = [*_cli("import", "members", str(file), "--db", str(reference), "--org", str(branch))]
    duration, wal_peak = _measure(cmd, _wal(reference))
    after = _content(reference)
    assert check(reference)["counts"]["members"] == members_before + valid

    db = tmp_path / "killed.sqlite"
    kills, outcomes, log = 0, {"before": 0, "after": 0}, []
    for r in _rounds(rng, duration, wal_peak):
        if kills >= KILLS or r.number > MAX_ROUNDS:
            break
        _remove(db)
        shutil.copyfile(base, db)
        _kill_during([*_cli("import", "members", str(file), "--db", str(db), "--org", str(branch))],
                     r, _wal(db), timeout=duration * 3)
        log.append(f"{r} → killed={r.killed}")
        if not r.killed:
            continue
        kills += 1
        _checked(db, r)
        content = _content(db)
        if content == before:
            outcomes["before"] += 1
        else:
            assert content == after, f"{r}: neither the members before nor all of the file's valid rows"
            outcomes["after"] += 1
    print(f"import: {kills} kills, {IMPORT_ROWS} rows ({valid} valid) in {duration:.2f} s, "
          f"-wal peak {wal_peak} bytes, outcomes {outcomes}")
    print("\n".join(log))
    assert kills >= KILLS, "\n".join(log)


# --- one member at a time --------------------------------------------------------------------

CREATIONS = 400


def _member_ids(path: Path) -> set[int]:
    conn = sqlite3.connect(path)
    try:
        return {member_id for (member_id,) in conn.execute("SELECT id FROM members")}
    finally:
        conn.close()


def test_single_creations_killed_at_random(tmp_path: Path) -> None:
    """Every member the child reported as committed is in the database after a kill."""
    base = tmp_path / "base.sqlite"
    assert _run(_cli("demo", "--db", str(base))).returncode == 0
    conn = sqlite3.connect(base)
    (branch,) = conn.execute("SELECT id FROM organizations WHERE kind = 'branch' ORDER BY id LIMIT 1").fetchone()
    conn.close()
    before_ids = _member_ids(base)

    rng = random.Random(SEED)
    db = tmp_path / "killed.sqlite"
    kills, log = 0, []
    cmd = [sys.executable, str(CHILD), str(db), str(branch), str(CREATIONS)]
    started = time.perf_counter()
    measured = tmp_path / "measured.sqlite"
    shutil.copyfile(base, measured)
    timing = Round(0, delay=600.0)
    _kill_during([sys.executable, str(CHILD), str(measured), str(branch), str(CREATIONS)], timing,
                 _wal(measured), timeout=60, after_line="ready")
    assert not timing.killed and len(timing.stdout) == CREATIONS + 1, timing.stdout[-3:]
    duration = timing.ran
    rounds = (Round(n, delay=rng.uniform(0.0, duration)) for n in range(1, MAX_ROUNDS + 1))
    for r in rounds:
        if kills >= KILLS:
            break
        _remove(db)
        shutil.copyfile(base, db)
        _kill_during(cmd, r, _wal(db), timeout=60, after_line="ready")
        reported = {int(line) for line in r.stdout if line.isdigit()}
        log.append(f"{r} → killed={r.killed}, {len(reported)} reported")
        if not r.killed:
            continue
        kills += 1
        _checked(db, r)
        ids = _member_ids(db)
        assert before_ids <= ids, f"{r}: members committed before the child ran are gone"
        assert reported <= ids - before_ids, f"{r}: reported but lost: {sorted(reported - ids)[:10]}"
        # At most one more: committed, but killed before its id was printed.
        assert len(ids - before_ids - reported) <= 1, f"{r}: unreported {sorted(ids - before_ids - reported)}"
    print(f"single creations: {kills} kills, {CREATIONS} creations in {duration:.2f} s after start-up, "
          f"scenario {time.perf_counter() - started:.1f} s")
    print("\n".join(log))
    assert kills >= KILLS, "\n".join(log)
