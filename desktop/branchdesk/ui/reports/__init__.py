"""The 报表中心 page: reports previewed and exported, and branches' files consolidated."""
