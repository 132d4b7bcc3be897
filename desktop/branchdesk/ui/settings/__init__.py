"""The Settings page (设置): what reports print, the meeting and dues rules, backups."""
