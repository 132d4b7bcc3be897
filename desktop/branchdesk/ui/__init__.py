"""PySide6 user interface: main window, one package per page, dialogs."""
