"""Problems tied to one field of a form or import row, and the fields' Chinese names."""

from __future__ import annotations

from dataclasses import dataclass

FIELD_LABELS = {
    "name": "姓名",
    "gender": "性别",
    "ethnicity": "民族",
    "birth_date": "出生日期",
    "id_number": "身份证号",
    "education": "学历",
    "standing": "人员类别",
    "joined_on": "入党日期",
    "full_on": "转正日期",
    "dues_category": "党费类别",
    "dues_base_fen": "党费基数",
    "group_id": "所在党小组",
    "phone": "联系电话",
    "note": "备注",
    "probation_extension_months": "延长预备期",
    "org_name": "组织名称",
    "member_id": "党员",
    "role": "职务",
    "term_start": "任期开始",
    "term_end": "任期结束",
    "counterpart": "对方单位",
    "on_date": "日期",
    "recipient": "表彰对象",
    "title": "标题",
    "title_text": "称号名称",
    "level": "级别",
    "year": "年度",
    "issuer": "表彰单位",
    "document_no": "文号",
    "awarded_on": "表彰日期",
    "rating": "评议等次",
    "kind": "类型",
    "written_on": "完成日期",
    "published_in": "发表刊物",
    "award": "获奖情况",
    "branch": "党支部",
    "held_on": "日期",
    "activity_status": "状态",
    "starts_at": "开始时间",
    "ends_at": "结束时间",
    "place": "地点",
    "chair": "主持人",
    "recorder": "记录人",
    "topic": "主题",
    "agenda": "议程",
    "minutes": "会议内容",
    "decisions": "决定事项",
    "study_hours_tenths": "学时",
    "lecturer": "授课人",
    "lecturer_is_leader": "党员领导干部授课",
    "attendance": "出席情况",
    "made_up_on": "补学日期",
    "rules": "会议活动规则",
}


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str

    def __str__(self) -> str:
        return f"{FIELD_LABELS.get(self.field, self.field)}：{self.message}"
