"""Commendations (表彰), annual 民主评议 results, and study output (学习成果)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from contextlib import suppress
from dataclasses import dataclass, fields
from pathlib import Path

from ..domain import honours as rules
from ..domain.dates import from_iso, iso
from ..domain.fields import FIELD_LABELS, FieldError
from ..domain.honours import CommendationData, Level, OutputKind, Rating, StudyOutputData, Title
from ..domain.members import Standing
from ..domain.organization import OrgKind
from ..store import attachments
from ..store import honours as q
from ..store import members as member_store
from ..store import organizations as org_store
from ..store.database import Database
from . import audit, members, organizations, recycle
from .errors import ServiceError, ValidationError


@dataclass(frozen=True)
class Commendation:
    id: int
    data: CommendationData
    attachment: str
    recipient_name: str
    branch_name: str
    branch_id: int

    @property
    def title_label(self) -> str:
        return self.data.title_label

    @property
    def line(self) -> str:
        """"2024 市级 优秀共产党员（江委〔2024〕12号）": the commendation as a history line shows it."""
        d = self.data
        text = f"{d.year} {d.level.label} {self.title_label}"
        return f"{text}（{d.document_no}）" if d.document_no else text

    @property
    def to_organization(self) -> bool:
        return self.data.org_id is not None


def _commendation(r: tuple) -> Commendation:
    data = CommendationData(
        title=Title(r[3]), level=Level(r[5]), year=r[6], member_id=r[1], org_id=r[2], title_text=r[4],
        issuer=r[7], document_no=r[8], awarded_on=from_iso(r[9]), note=r[11])
    return Commendation(r[0], data, r[10], r[12], r[13], r[14])


def list_commendations(db: Database, scope_org_id: int, year: int | None = None,
                       level: Level | None = None, title: Title | None = None) -> list[Commendation]:
    """Commendations of the scope's members and organizations, latest year and highest level first."""
    found = [_commendation(r) for r in q.commendations_in(db, org_store.subtree_ids(db, scope_org_id))]
    # == rather than `is`: a filter given as the stored string ("city") works as well as Level.CITY.
    return [c for c in found if (year is None or c.data.year == year)
            and (level is None or c.data.level == level) and (title is None or c.data.title == title)]


def get_commendation(db: Database, commendation_id: int) -> Commendation:
    r = q.commendation(db, commendation_id)
    if r is None:
        raise ServiceError(f"找不到编号为 {commendation_id} 的表彰记录")
    return _commendation(r)


def commendations_of_member(db: Database, member_id: int) -> list[Commendation]:
    return [_commendation(r) for r in q.commendations_of_member(db, member_id)]


def commendations_of_org(db: Database, org_id: int) -> list[Commendation]:
    return [_commendation(r) for r in q.commendations_of_org(db, org_id)]


def _commendation_values(db: Database, data: CommendationData, today: dt.date | None) -> dict:
    errors = rules.validate_commendation(data, today or dt.date.today())
    if data.member_id is not None and member_store.row(db, data.member_id) is None:
        errors.append(FieldError("recipient", f"找不到编号为 {data.member_id} 的党员"))
    if data.org_id is not None and org_store.row(db, data.org_id) is None:
        errors.append(FieldError("recipient", f"找不到编号为 {data.org_id} 的党组织"))
    if errors:
        raise ValidationError(errors)
    title = Title(data.title)
    values = {f.name: getattr(data, f.name) for f in fields(CommendationData)}
    values.update(title=title.value, level=Level(data.level).value, awarded_on=iso(data.awarded_on),
                  title_text=data.title_text.strip() if title is Title.OTHER else "",
                  issuer=data.issuer.strip(), document_no=data.document_no.strip(), note=data.note.strip())
    return values


def _commendation_label(c: Commendation) -> str:
    return f"{c.line} · {c.recipient_name}"


def create_commendation(db: Database, data: CommendationData, today: dt.date | None = None) -> int:
    with db.atomic():
        commendation_id = q.insert(db, "commendations", _commendation_values(db, data, today))
        audit.record(db, audit.CREATE, "commendations", commendation_id,
                     _commendation_label(get_commendation(db, commendation_id)))
        return commendation_id


def update_commendation(db: Database, commendation_id: int, data: CommendationData,
                        today: dt.date | None = None) -> None:
    with db.atomic():
        before = q.commendation(db, commendation_id)
        if before is None:
            raise ServiceError(f"找不到编号为 {commendation_id} 的表彰记录")
        values = _commendation_values(db, data, today)
        q.update(db, "commendations", commendation_id, values)
        after = q.commendation(db, commendation_id)
        changed = [FIELD_LABELS.get(f, f) for f, i in _COMMENDATION_FIELDS if before[i] != after[i]]
        if before[1:3] != after[1:3]:
            changed.insert(0, FIELD_LABELS["recipient"])
        audit.record(db, audit.UPDATE, "commendations", commendation_id,
                     _commendation_label(_commendation(after)), changed)


# Fields of a commendation by their place in q.COMMENDATION_SQL's rows.
_COMMENDATION_FIELDS = (("title", 3), ("title_text", 4), ("level", 5), ("year", 6), ("issuer", 7),
                        ("document_no", 8), ("awarded_on", 9), ("note", 11))


def delete_commendation(db: Database, commendation_id: int) -> None:
    """Move the commendation to the recycle bin; its attached file stays until the bin entry is purged."""
    with db.atomic():
        c = get_commendation(db, commendation_id)
        recycle.move_to_bin(db, "commendation", commendation_id, _commendation_label(c))


def _discard(db: Database, relative: str) -> None:
    """Remove a copy no record refers to any more; one that cannot be removed now (open in a viewer
    on Windows) is left behind rather than failing an operation already committed."""
    with suppress(OSError):
        attachments.discard(db, relative)


def attach(db: Database, commendation_id: int, source: Path | str) -> None:
    """Copy `source` (a scanned certificate, the decision document) in and link it to the record;
    a file attached before is replaced and its copy removed."""
    source = Path(source)
    if not source.is_file():
        raise ServiceError(f"找不到文件 {source}")
    before = get_commendation(db, commendation_id).attachment
    try:
        kept = attachments.keep(db, source, "commendations", commendation_id)
    except OSError as exc:
        raise ServiceError(f"无法复制文件 {source}：{exc.strerror or exc}") from exc
    try:
        with db.atomic():
            q.update(db, "commendations", commendation_id, {"attachment": kept})
            audit.record(db, audit.UPDATE, "commendations", commendation_id,
                         _commendation_label(get_commendation(db, commendation_id)), ["附件"])
    except BaseException:
        if kept != before:
            _discard(db, kept)
        raise
    if before and before != kept:
        _discard(db, before)


def attachment_path(db: Database, commendation: Commendation) -> Path | None:
    """Where the attached file is, or None when there is none; it may have gone missing."""
    return attachments.resolve(db, commendation.attachment) if commendation.attachment else None


def commendation_counts(db: Database, scope_org_id: int, year: int) -> Counter[tuple[Level, str]]:
    """How many commendations by (level, title) — e.g. 市级 优秀共产党员 in 2024."""
    return Counter((c.data.level, c.title_label) for c in list_commendations(db, scope_org_id, year))


@dataclass(frozen=True)
class EvaluationEntry:
    """One line of a branch's 民主评议 sheet: the member and the rating recorded (None: not yet)."""

    member: members.Member
    rating: Rating | None
    note: str
    year: int | None = None  # the sheet's year; None: judged by the member's standing today

    @property
    def probationary(self) -> bool:
        """Not rated (不参加评定): not yet a full member at the end of the sheet's year."""
        d = self.member.data
        if self.year is None or (d.standing is Standing.FULL and d.full_on is None):
            return d.standing is Standing.PROBATIONARY
        return rules.probationary_in(self.year, d.full_on)


def evaluation_sheet(db: Database, branch_id: int, year: int) -> list[EvaluationEntry]:
    """Members of the branch (and under it) for `year`'s 民主评议: those on the roll who had joined
    by the year's end, plus any rated that year who have left since."""
    with db.snapshot():
        org_ids = org_store.subtree_ids(db, branch_id)
        recorded = q.ratings_in(db, org_ids, year)
        everyone = members.list_members(db, branch_id)
    end = dt.date(year, 12, 31)
    roll = [m for m in everyone if m.id in recorded
            or (m.status.active and (m.data.joined_on is None or m.data.joined_on <= end))]
    return [EvaluationEntry(m, Rating(recorded[m.id][0]) if m.id in recorded else None,
                            recorded[m.id][1] if m.id in recorded else "", year) for m in roll]


def evaluation_warnings(ratings: list[Rating]) -> list[str]:
    """What the secretary should look at before saving (saving is still allowed)."""
    rated = [Rating(r) for r in ratings if r is not None and r != Rating.NOT_RATED]
    if rules.excellent_over_limit(rated):
        excellent = rated.count(Rating.EXCELLENT)
        return [f"评为优秀的 {excellent} 名，超过参加评定党员 {len(rated)} 名的三分之一"
                f"（一般不超过 {len(rated) // 3} 名）"]
    return []


def save_evaluations(db: Database, branch_id: int, year: int,
                     entries: list[tuple[int, Rating | None, str]]) -> list[str]:
    """Record a branch's ratings for `year` in one transaction (None clears a member's rating).

    `entries` may be the whole sheet or only the lines changed. Refused as a whole, naming each
    member, when a rating breaks a rule; returns the warnings for the branch's ratings as saved.
    """
    with db.atomic():
        sheet = {e.member.id: e for e in evaluation_sheet(db, branch_id, year)}
        errors = []
        for member_id, rating, note in entries:
            entry = sheet.get(member_id)
            if entry is None:
                raise ServiceError(f"编号为 {member_id} 的党员不在本支部 {year} 年的评议名单中")
            problem = None if rating is None else rules.rating_problem(rating, entry.probationary, note or "")
            if problem:
                errors.append(FieldError(problem.field, f"{entry.member.name}：{problem.message}"))
        if errors:
            raise ValidationError(errors)
        for member_id, rating, note in entries:
            if rating is None:
                q.clear_rating(db, member_id, year)
            else:
                q.set_rating(db, member_id, year, Rating(rating).value, (note or "").strip())
        if entries:
            branch = organizations.get(db, branch_id)
            audit.record(db, audit.UPDATE, "evaluations",
                         label=f"{branch.name} {year}年度民主评议（{len(entries)} 人）",
                         fields=["评议等次", "备注"], uid=audit.uid_of(db, "organizations", branch_id))
        saved = q.ratings_in(db, org_store.subtree_ids(db, branch_id), year)
    return evaluation_warnings([Rating(rating) for rating, _note in saved.values()])


def evaluation_counts(db: Database, scope_org_id: int, year: int) -> dict[str, Counter[Rating]]:
    """Ratings recorded for `year`, counted per branch in tree order (members who have left since
    included). Keyed by branch name; a name that two branches in the scope share is prefixed with
    the name of the organization above (`江州市审计局机关党委 办公室党支部`)."""
    with db.snapshot():
        outline = organizations.outline(db, scope_org_id)
        by_org = q.rating_counts_by_org(db, year)
    names = {org.id: org.name for _depth, org in outline}
    branches = [org for _depth, org in outline if org.kind is OrgKind.BRANCH]
    # Ratings are counted under the branch the member's organization is or lies in (members belong
    # to the branch itself; a 党小组 is only a label on them).
    branch_of: dict[int, int] = {}
    for _depth, org in outline:  # parents come before their children
        if org.kind is OrgKind.BRANCH:
            branch_of[org.id] = org.id
        elif org.parent_id in branch_of:
            branch_of[org.id] = branch_of[org.parent_id]
    counts: dict[int, Counter[Rating]] = {b.id: Counter() for b in branches}
    for org_id, rating, n in by_org:
        if org_id in branch_of:
            counts[branch_of[org_id]][Rating(rating)] += n
    shared = {name for name, n in Counter(b.name for b in branches).items() if n > 1}
    result: dict[str, Counter[Rating]] = {}
    for b in branches:
        label = f"{names.get(b.parent_id, '')} {b.name}".strip() if b.name in shared else b.name
        if label in result:
            label = f"{label}（编号 {b.id}）"
        result[label] = counts[b.id]
    return result


@dataclass(frozen=True)
class StudyOutput:
    id: int
    data: StudyOutputData
    member_name: str
    branch_name: str


def _output(r: tuple) -> StudyOutput:
    data = StudyOutputData(member_id=r[1], kind=OutputKind(r[4]), title=r[5], written_on=from_iso(r[6]),
                           published_in=r[7], award=r[8], note=r[9])
    return StudyOutput(r[0], data, r[2], r[3])


def list_study_outputs(db: Database, scope_org_id: int, year: int | None = None) -> list[StudyOutput]:
    found = [_output(r) for r in q.study_outputs_in(db, org_store.subtree_ids(db, scope_org_id))]
    return [o for o in found if year is None or o.data.written_on.year == year]


def get_study_output(db: Database, output_id: int) -> StudyOutput:
    r = q.study_output(db, output_id)
    if r is None:
        raise ServiceError(f"找不到编号为 {output_id} 的学习成果")
    return _output(r)


def _output_values(db: Database, data: StudyOutputData, today: dt.date | None) -> dict:
    errors = rules.validate_study_output(data, today or dt.date.today())
    if member_store.row(db, data.member_id) is None:
        errors.append(FieldError("member_id", f"找不到编号为 {data.member_id} 的党员"))
    if errors:
        raise ValidationError(errors)
    return {"member_id": data.member_id, "kind": data.kind.value, "title": data.title.strip(),
            "written_on": iso(data.written_on), "published_in": data.published_in.strip(),
            "award": data.award.strip(), "note": data.note.strip()}


def _output_label(o: StudyOutput) -> str:
    return f"{o.member_name}《{o.data.title}》"


# Fields of a study output by their place in q.STUDY_OUTPUT_SQL's rows.
_OUTPUT_FIELDS = (("member_id", 1), ("kind", 4), ("title", 5), ("written_on", 6), ("published_in", 7),
                  ("award", 8), ("note", 9))


def create_study_output(db: Database, data: StudyOutputData, today: dt.date | None = None) -> int:
    with db.atomic():
        output_id = q.insert(db, "study_outputs", _output_values(db, data, today))
        audit.record(db, audit.CREATE, "study_outputs", output_id, _output_label(get_study_output(db, output_id)))
        return output_id


def update_study_output(db: Database, output_id: int, data: StudyOutputData,
                        today: dt.date | None = None) -> None:
    with db.atomic():
        before = q.study_output(db, output_id)
        if before is None:
            raise ServiceError(f"找不到编号为 {output_id} 的学习成果")
        q.update(db, "study_outputs", output_id, _output_values(db, data, today))
        after = q.study_output(db, output_id)
        changed = [FIELD_LABELS.get(f, f) for f, i in _OUTPUT_FIELDS if before[i] != after[i]]
        audit.record(db, audit.UPDATE, "study_outputs", output_id, _output_label(_output(after)), changed)


def delete_study_output(db: Database, output_id: int) -> None:
    """Move the study output to the recycle bin."""
    with db.atomic():
        if q.study_output(db, output_id) is None:
            raise ServiceError(f"找不到编号为 {output_id} 的学习成果")
        recycle.move_to_bin(db, "study_output", output_id, _output_label(get_study_output(db, output_id)))


def study_output_counts(db: Database, scope_org_id: int, year: int) -> Counter[OutputKind]:
    """Study output written in `year`, by type."""
    return Counter(o.data.kind for o in list_study_outputs(db, scope_org_id, year))
