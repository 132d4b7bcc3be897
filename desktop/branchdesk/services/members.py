"""Members: the roll, its changes (转正, 转出/转入, status) and each member's history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, fields

from ..domain import idnumber, pinyin
from ..domain import members as rules
from ..domain.dates import from_iso, iso
from ..domain.fields import FIELD_LABELS, FieldError
from ..domain.members import DuesCategory, MemberData, Standing, Status
from ..store import members as q
from ..store import organizations as org_store
from ..store.database import Database
from . import audit, recycle
from .errors import ServiceError, ValidationError


@dataclass(frozen=True, slots=True)
class Member:
    """A stored member: the user's fields plus where they stand on the roll."""

    id: int
    org_id: int
    org_name: str
    group_name: str
    status: Status
    name_initials: str
    data: MemberData

    @property
    def name(self) -> str:
        return self.data.name

    @property
    def probation_end(self) -> dt.date | None:
        d = self.data
        if d.standing is not Standing.PROBATIONARY or d.joined_on is None:
            return None
        return rules.probation_end(d.joined_on, d.probation_extension_months)


# Enum members by stored value: a dict lookup, where calling the enum costs ~2 µs a row.
_STANDINGS = {s.value: s for s in Standing}
_DUES_CATEGORIES = {c.value: c for c in DuesCategory}
_STATUSES = {s.value: s for s in Status}


def _member(r: Sequence, org_name: str, group_name: str | None) -> Member:
    """A Member from its `q.MEMBER_COLUMNS` (built 10,000 at a time: positional, no dict a row)."""
    (member_id, org_id, group_id, name, name_initials, gender, ethnicity, birth_date, id_number,
     education, standing, joined_on, full_on, extension, dues_category, dues_base_fen, phone,
     note, status) = r
    data = MemberData(
        name, gender, from_iso(birth_date), _STANDINGS[standing], from_iso(joined_on), ethnicity,
        id_number or "", education, from_iso(full_on), _DUES_CATEGORIES[dues_category],
        dues_base_fen, group_id, phone, note, extension)
    return Member(member_id, org_id, org_name, group_name or "", _STATUSES[status],
                  name_initials, data)


def get(db: Database, member_id: int) -> Member:
    found = q.row(db, member_id)
    if found is None:
        raise ServiceError(f"找不到编号为 {member_id} 的党员")
    *r, org_name, group_name = found
    return _member(r, org_name, group_name)


def list_members(db: Database, scope_org_id: int) -> list[Member]:
    """Every member (any status) of `scope_org_id` and the organizations under it."""
    names = q.organization_names(db)
    # r[1], r[2]: the member's organization and 党小组 (q.MEMBER_COLUMNS).
    return [_member(r, names[r[1]], names.get(r[2]))
            for r in q.rows_in(db, org_store.subtree_ids(db, scope_org_id))]


def matches(member: Member, text: str) -> bool:
    """Search-as-you-type: a name fragment, pinyin initials, or part of the ID number or phone."""
    t = text.strip().lower()
    if not t:
        return True
    d = member.data
    return (t in d.name.lower() or member.name_initials.startswith(t)
            or (len(t) >= 4 and (t in d.id_number.lower() or t in d.phone)))


def _values(db: Database, org_id: int, data: MemberData,
            member_id: int | None, today: dt.date | None) -> dict:
    data.name = data.name.strip()
    data.id_number = idnumber.normalize(data.id_number)
    data.phone = data.phone.strip()
    errors = rules.validate(data, today)
    org = org_store.row(db, org_id)
    if org is None:
        raise ServiceError(f"找不到编号为 {org_id} 的党组织")
    if data.group_id is not None:
        group = org_store.row(db, data.group_id)
        if group is None or group[1] != org_id or group[2] != "group":
            errors.append(FieldError("group_id", f"所选党小组不属于“{org[3]}”"))
    if data.id_number and not any(e.field == "id_number" for e in errors):
        holder = q.holder_of_id_number(db, data.id_number, member_id)
        if holder:
            errors.append(FieldError("id_number", f"该号码已登记在党员“{holder}”名下"))
    if errors:
        raise ValidationError(errors)
    return stored_values(org_id, data)


def stored_values(org_id: int, data: MemberData) -> dict:
    """The members row of a validated, normalised `data` in `org_id`, by column."""
    values = {f.name: getattr(data, f.name) for f in fields(MemberData)}
    for key in ("birth_date", "joined_on", "full_on"):
        values[key] = iso(values[key])
    values["standing"] = data.standing.value
    values["dues_category"] = data.dues_category.value
    values["id_number"] = data.id_number or None
    values["org_id"] = org_id
    values["name_initials"] = pinyin.initials(data.name)
    return values


def create(db: Database, org_id: int, data: MemberData,
           today: dt.date | None = None) -> int:
    """Add a member to `org_id`'s roll; ValidationError lists every field problem."""
    with db.atomic():
        member_id = q.insert(db, _values(db, org_id, data, None, today))
        q.add_event(db, member_id, (today or dt.date.today()).isoformat(), "created", "登记入册")
        audit.record(db, audit.CREATE, "members", member_id, _label(db, member_id))
        return member_id


def update(db: Database, member_id: int, data: MemberData,
           today: dt.date | None = None) -> None:
    with db.atomic():
        before = get(db, member_id)
        values = _values(db, before.org_id, data, member_id, today)
        changed = [FIELD_LABELS[k] for k in FIELD_LABELS
                   if k in values and getattr(before.data, k) != getattr(data, k)]
        if not changed:
            return
        q.update(db, member_id, values)
        if (before.data.dues_category, before.data.dues_base_fen) != (data.dues_category, data.dues_base_fen):
            # Months under a dues assessment do not read these two fields: record the change as one
            # (imported here: the members list opens at start-up without the dues service).
            from . import dues

            dues.member_form_changed(db, member_id, data.dues_category, data.dues_base_fen, today)
        q.add_event(db, member_id, (today or dt.date.today()).isoformat(), "updated",
                    "修改：" + "、".join(changed))
        audit.record(db, audit.UPDATE, "members", member_id, _label(db, member_id), changed)


def _label(db: Database, member_id: int) -> str:
    """"张三（第一党支部）": how the audit log and the recycle bin name a member."""
    m = get(db, member_id)
    return f"{m.name}（{m.org_name}）"


def delete(db: Database, member_id: int) -> None:
    """Remove a member entered by mistake (a member who leaves is transferred out instead): the
    member goes to the recycle bin with their history, transfers, commendations, ratings and study
    output, and can be restored from there."""
    with db.atomic():
        m = get(db, member_id)
        if q.committee_seat_count(db, member_id):
            raise ServiceError(f"“{m.name}”在委员会任职记录中，请先删除其任职记录")
        recycle.move_to_bin(db, "member", member_id, _label(db, member_id))


def convert_to_full(db: Database, member_id: int, on: dt.date,
                    today: dt.date | None = None) -> None:
    """Record the 支部大会 vote converting a probationary member to full membership."""
    with db.atomic():
        m = get(db, member_id)
        if m.data.standing is not Standing.PROBATIONARY:
            raise ServiceError(f"“{m.name}”已是正式党员")
        why = rules.conversion_problem(m.data.joined_on, on, today or dt.date.today())
        if why:
            raise ValidationError([FieldError("full_on", why)])
        q.update(db, member_id, {"standing": Standing.FULL.value, "full_on": on.isoformat()})
        q.add_event(db, member_id, on.isoformat(), "converted", "按期转为正式党员")
        audit.record(db, audit.UPDATE, "members", member_id, _label(db, member_id), ["人员类别", "转正日期"])


def extend_probation(db: Database, member_id: int, months: int,
                     on: dt.date) -> None:
    """Extend a probation once, by 6 to 12 months (发展党员工作细则 art. 32)."""
    with db.atomic():
        m = get(db, member_id)
        if m.data.standing is not Standing.PROBATIONARY:
            raise ServiceError(f"“{m.name}”不是预备党员")
        if m.data.probation_extension_months:
            raise ServiceError(f"“{m.name}”的预备期已延长过一次，不能再延长")
        if months not in rules.EXTENSION_MONTHS:
            raise ValidationError([FieldError("probation_extension_months",
                                              "预备期只能延长一次，为6至12个月")])
        q.update(db, member_id, {"probation_extension_months": months})
        q.add_event(db, member_id, on.isoformat(), "extended", f"延长预备期{months}个月")
        audit.record(db, audit.UPDATE, "members", member_id, _label(db, member_id), ["延长预备期"])


def _need_text(field: str, value: str, label: str) -> None:
    if not value.strip():
        raise ValidationError([FieldError(field, f"{label}不能为空")])


def transfer_out(db: Database, member_id: int, on: dt.date, to_org: str,
                 letter_no: str = "", note: str = "") -> None:
    """The member's organizational relationship leaves for `to_org` (组织关系转出)."""
    _need_text("counterpart", to_org, "转往单位")
    with db.atomic():
        m = get(db, member_id)
        if not m.status.active:
            raise ServiceError(f"“{m.name}”当前状态为{m.status.label}，不能转出")
        if m.data.joined_on and on < m.data.joined_on:
            raise ValidationError([FieldError("on_date", "转出日期不能早于入党日期")])
        q.add_transfer(db, {"member_id": member_id, "direction": "out",
                            "on_date": on.isoformat(), "counterpart": to_org.strip(),
                            "letter_no": letter_no.strip(), "note": note.strip()})
        q.update(db, member_id, {"status": Status.TRANSFERRED_OUT.value})
        q.add_event(db, member_id, on.isoformat(), "transferred_out",
                    f"组织关系转出至{to_org.strip()}" + (f"（介绍信 {letter_no}）" if letter_no else ""))
        audit.record(db, audit.UPDATE, "members", member_id, _label(db, member_id), ["组织关系转出", "状态"])


def transfer_in(db: Database, org_id: int, data: MemberData, on: dt.date,
                from_org: str, letter_no: str = "", note: str = "",
                today: dt.date | None = None) -> int:
    """A member arrives from `from_org` (组织关系转入): a new roll entry with its transfer."""
    _need_text("counterpart", from_org, "转出单位")
    with db.atomic():
        member_id = q.insert(db, _values(db, org_id, data, None, today))
        q.add_transfer(db, {"member_id": member_id, "direction": "in",
                            "on_date": on.isoformat(), "counterpart": from_org.strip(),
                            "letter_no": letter_no.strip(), "note": note.strip()})
        q.add_event(db, member_id, on.isoformat(), "transferred_in",
                    f"组织关系由{from_org.strip()}转入" + (f"（介绍信 {letter_no}）" if letter_no else ""))
        audit.record(db, audit.CREATE, "members", member_id, _label(db, member_id), ["组织关系转入"])
        return member_id


def return_in(db: Database, member_id: int, on: dt.date, from_org: str,
              letter_no: str = "") -> None:
    """A member transferred out earlier comes back: the same record returns to the roll."""
    _need_text("counterpart", from_org, "转出单位")
    with db.atomic():
        m = get(db, member_id)
        if m.status is not Status.TRANSFERRED_OUT:
            raise ServiceError(f"“{m.name}”不是已转出的党员")
        q.add_transfer(db, {"member_id": member_id, "direction": "in",
                            "on_date": on.isoformat(), "counterpart": from_org.strip(),
                            "letter_no": letter_no.strip(), "note": ""})
        q.update(db, member_id, {"status": Status.NORMAL.value})
        q.add_event(db, member_id, on.isoformat(), "transferred_in",
                    f"组织关系由{from_org.strip()}转回")
        audit.record(db, audit.UPDATE, "members", member_id, _label(db, member_id), ["组织关系转回", "状态"])


def set_status(db: Database, member_id: int, status: Status, on: dt.date,
               note: str = "") -> None:
    """正常 / 流动 / 失联 / 去世 (转出 goes through `transfer_out`, which records where to)."""
    if status is Status.TRANSFERRED_OUT:
        raise ServiceError("转出请使用“组织关系转出”，以便登记转往单位")
    with db.atomic():
        m = get(db, member_id)
        if m.status is status:
            return
        q.update(db, member_id, {"status": status.value})
        text = f"状态由{m.status.label}改为{status.label}" + (f"：{note.strip()}" if note.strip() else "")
        q.add_event(db, member_id, on.isoformat(), "status", text)
        audit.record(db, audit.UPDATE, "members", member_id, _label(db, member_id), ["状态"])


@dataclass(frozen=True)
class Event:
    on_date: dt.date
    kind: str
    detail: str


def history(db: Database, member_id: int) -> list[Event]:
    return [Event(dt.date.fromisoformat(r[0]), r[1], r[2]) for r in q.events(db, member_id)]


def due_for_conversion(db: Database, scope_org_id: int,
                       today: dt.date) -> list[Member]:
    """Probationary members on the roll whose probation ends within the notice window."""
    return [m for m in list_members(db, scope_org_id)
            if m.status.active and m.data.standing is Standing.PROBATIONARY
            and rules.conversion_due_soon(m.data.joined_on, m.data.probation_extension_months,
                                          today)]
