"""A table of figures as the dashboard shows it and the exports write it: one shape for both,
so a CSV or XLSX has exactly the columns and rows the page has."""

from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Table:
    key: str  # stable, used in export URLs: "caseload", "hearings", ...
    title: str
    headers: list[str]
    # Plain values (str, int, float, date, None): no model instances, no HTML.
    rows: Iterable[list] = field(default_factory=list)
