"""Errors a service raises for the user to read (messages in Chinese)."""

from __future__ import annotations

from ..domain.fields import FieldError


class ServiceError(Exception):
    """An operation refused, with a message that says why."""


class ValidationError(ServiceError):
    """The input has field problems; nothing was written."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("；".join(str(e) for e in errors))
        self.errors = errors

    def for_field(self, field: str) -> list[str]:
        return [e.message for e in self.errors if e.field == field]


class ImportFileError(ServiceError):
    """A file that cannot be imported at all (not a spreadsheet, damaged, encrypted, empty, too
    large, a merged header); the message names the file and nothing was written."""


class ReadOnlyError(ServiceError):
    """A write refused because the database was opened read-only (another BranchDesk has it)."""

    def __init__(self) -> None:
        super().__init__("数据文件以只读方式打开（另一个窗口正在使用它），不能修改；"
                         "请在已打开的窗口中操作，或关闭它后重新启动本程序")
