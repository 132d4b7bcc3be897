"""Settings › 报表 (填报单位, 制表人) and 数据与备份 (the data file, the backup folder and how many to keep)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit

from ...services import backups
from ...services import settings as report_settings
from ..context import AppContext
from ..forms import form_layout
from .common import SettingsGroup, hint

if TYPE_CHECKING:
    from ..backups import BackupSettingsDialog


class ReportGroup(SettingsGroup):
    """What every exported report prints in its 填报单位 / 制表人 line."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx)
        self.unit = QLineEdit()
        self.unit.setPlaceholderText(self.tr("留空：使用所统计党组织的名称"))
        self.preparer = QLineEdit()
        self.preparer.setPlaceholderText(self.tr("留空：报表上留出签名位置"))
        form = form_layout()
        form.addRow(self.tr("填报单位："), self.form.field(
            report_settings.REPORT_UNIT, self.unit,
            hint(self.tr("印在每张报表标题下的“填报单位”处，如“中共××市××局机关委员会”。"))))
        form.addRow(self.tr("制表人："), self.form.field(
            report_settings.REPORT_PREPARER, self.preparer, hint(self.tr("印在报表的“制表人”处。"))))
        self.add(form)
        self.load()

    def load(self) -> None:
        self.unit.setText(report_settings.get(self.ctx.db, report_settings.REPORT_UNIT))
        self.preparer.setText(report_settings.get(self.ctx.db, report_settings.REPORT_PREPARER))

    def defaults(self) -> None:
        self.unit.clear()
        self.preparer.clear()

    def store(self) -> None:
        report_settings.save_all(self.ctx.db, {report_settings.REPORT_UNIT: self.unit.text(),
                                               report_settings.REPORT_PREPARER: self.preparer.text()})


class BackupGroup(SettingsGroup):
    """Shows where the data and its backups are; changes go through the backup settings dialog
    (文件 › 备份设置…), which this group opens, so that there is one place that edits them."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx)
        self.data_file = QLabel()
        self.folder = QLabel()
        self.keep = QLabel()
        for label in (self.data_file, self.folder):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setWordWrap(True)
        form = form_layout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow(self.tr("数据文件："), self.data_file)
        form.addRow(self.tr("备份文件夹："), self.folder)
        form.addRow(self.tr("保留最近："), self.keep)
        self.add(form)
        self.add(hint(self.tr("退出程序时和每天第一次打开时自动备份；只保留最近的若干份，更早的自动删除。"
                              "建议把备份放在另一块硬盘或 U 盘上。")))
        self.save_button.setText(self.tr("修改备份设置…"))
        self.defaults_button.setToolTip(self.tr("打开备份设置，填入默认的文件夹和份数；确定后生效"))
        self.defaults_button.setEnabled(not ctx.db.read_only)  # as 文件 › 备份设置… is
        self.load()

    def load(self) -> None:
        self.data_file.setText(str(self.ctx.db_path))
        self.folder.setText(str(backups.folder(self.ctx.db, self.ctx.db_path)))
        self.keep.setText(self.tr("{0} 份").format(backups.keep(self.ctx.db)))

    def dialog(self, defaults: bool = False) -> BackupSettingsDialog:
        from ..backups import BackupSettingsDialog  # the backup UI loads when first asked for

        dialog = BackupSettingsDialog(self.ctx, self)
        if defaults:
            dialog.folder.setText(str(backups.default_folder(self.ctx.db_path)))
            dialog.keep.setValue(backups.DEFAULT_KEEP)
        dialog.accepted.connect(self._changed)
        return dialog

    def _changed(self) -> None:
        self.load()
        self.status.setText(self.tr("已保存。"))

    def save(self) -> bool:
        return bool(self.dialog().exec())

    def restore_defaults(self) -> None:
        self.dialog(defaults=True).exec()
