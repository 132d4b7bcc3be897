"""The 表彰评议 page: commendations, the annual 民主评议 results, and study output."""
