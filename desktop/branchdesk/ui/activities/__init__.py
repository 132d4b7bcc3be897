"""The 会议学习 page: meetings and study sessions, attendance, compliance, printing."""
