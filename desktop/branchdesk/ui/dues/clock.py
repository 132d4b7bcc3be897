"""The date the dues page works with: one function, so that a test can fix it for the page and the
services it calls alike (the page passes it on as `today`)."""

from __future__ import annotations

import datetime as dt


def today() -> dt.date:
    return dt.date.today()
