"""Reading spreadsheets people bring (design.md §7): tables from .xlsx and .csv files, and member
rows parsed from them. No SQL: the services decide what the rows mean for the database."""
