"""The Home page (工作台): to-dos, alerts and charts for the organization in scope."""
