"""Rate limits per pseudonym and for the whole instance: sliding windows kept in memory only.

Over the limit, the sender gets a polite "wait a minute" in their language instead of an error;
nothing is stored on disk and windows hold only pseudonyms and times.
"""

from __future__ import annotations

import time
from collections import OrderedDict, deque
from dataclasses import dataclass, field

MAX_TRACKED_SENDERS = 100_000


@dataclass
class RateLimiter:
    per_sender: int = 20  # messages per sender per window
    global_limit: int = 3000  # messages per instance per window
    window_seconds: float = 60.0
    _senders: OrderedDict = field(default_factory=OrderedDict)
    _all: deque = field(default_factory=deque)

    def allow(self, sender: str, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        horizon = now - self.window_seconds
        while self._all and self._all[0] <= horizon:
            self._all.popleft()
        times = self._senders.get(sender)
        if times is None:
            times = self._senders[sender] = deque()
        else:
            self._senders.move_to_end(sender)
        while times and times[0] <= horizon:
            times.popleft()
        if len(times) >= self.per_sender or len(self._all) >= self.global_limit:
            return False
        times.append(now)
        self._all.append(now)
        while len(self._senders) > MAX_TRACKED_SENDERS:
            self._senders.popitem(last=False)
        return True
