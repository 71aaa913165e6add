"""One person's days over the horizon: in Canada, in status, and which work is authorized."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# --- one person's days ---------------------------------------------------------------------------


@dataclass
class Timeline:
    """Per-day facts of one person over [as_of, H): in Canada, in status, and which work is authorized."""

    start: dt.date
    days: int
    in_canada: bytearray
    status: bytearray
    open_work: bytearray
    # Employer-specific authorization per offer ref; None is the employer of the ongoing work-history job.
    specific: dict[str | None, bytearray] = field(default_factory=dict)
    entry: dt.date | None = None

    def index(self, day: dt.date) -> int:
        return (day - self.start).days

    def mark(self, arr: bytearray, first: dt.date, last: dt.date) -> None:
        """Sets `arr` on every day of [first, last] inside the horizon."""
        lo, hi = max(0, self.index(first)), min(self.days, self.index(last) + 1)
        if hi > lo:
            arr[lo:hi] = b"\x01" * (hi - lo)

    def spec(self, ref: str | None) -> bytearray:
        if ref not in self.specific:
            self.specific[ref] = bytearray(self.days)
        return self.specific[ref]

    def on(self, arr: bytearray, day: dt.date) -> bool:
        i = self.index(day)
        return 0 <= i < self.days and bool(arr[i])

    def authorized(self, i: int, ref: str | None) -> bool:
        """Work-authorized on day index `i` for the job of offer `ref` (None: the ongoing history job)."""
        return bool(self.open_work[i]) or (ref in self.specific and bool(self.specific[ref][i]))

    def any_work(self, i: int) -> bool:
        return bool(self.open_work[i]) or any(arr[i] for arr in self.specific.values())
