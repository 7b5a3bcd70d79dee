"""The anonymous needs picture: counts of topics asked, and of "was this useful?" answers.

Only aggregate counters are kept, one row per day x topic x country x language (UTC day, never a
finer time), in `HAVEN_DATA_DIR/analytics.sqlite`. No pseudonym, no message text, no channel
address. Small counts are suppressed on the way out: 1 to 4 is shown as "<5".
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import sqlite3
import threading
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from bot.paths import data_dir

SUPPRESS_BELOW = 5
SUPPRESSED = "<5"
UNKNOWN = "-"  # country or language not known
MEASURES = ("asked", "useful_yes", "useful_no")
FEEDBACK_COMMAND = re.compile(r"^#useful-(yes|no) ([a-z_]{2,40}) ([A-Z]{2}|-) ([a-z]{2,3})$")
SCHEMA = """
CREATE TABLE IF NOT EXISTS counts (
    day TEXT NOT NULL,        -- YYYY-MM-DD, UTC
    topic TEXT NOT NULL,
    country TEXT NOT NULL,    -- ISO code or '-'
    language TEXT NOT NULL,
    asked INTEGER NOT NULL DEFAULT 0,
    useful_yes INTEGER NOT NULL DEFAULT 0,
    useful_no INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (day, topic, country, language)
)
"""


def shown(count: int) -> int | str:
    """A count as it may be shown: suppressed below 5 (zero stays zero)."""
    return SUPPRESSED if 0 < count < SUPPRESS_BELOW else count


def today() -> dt.date:
    return dt.datetime.now(dt.timezone.utc).date()


def feedback_payload(useful: bool, topic: str, country: str | None, language: str) -> str:
    """The option payload a chat answer carries; the gateway handles it before the bot sees it."""
    return f"#useful-{'yes' if useful else 'no'} {topic} {(country or UNKNOWN).upper()} {language}"


def parse_feedback(text: str) -> tuple[bool, str, str | None, str] | None:
    """(useful, topic, country, language) for a feedback payload; None for anything else."""
    match = FEEDBACK_COMMAND.match(text.strip())
    if not match:
        return None
    useful, topic, country, language = match.groups()
    return useful == "yes", topic, None if country == UNKNOWN else country, language


@dataclass(frozen=True)
class Row:
    day: str
    topic: str
    country: str
    language: str
    asked: int
    useful_yes: int
    useful_no: int


class Analytics:
    """Counters in one SQLite file; safe to share between threads (one lock, short writes)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None

    def _connection(self) -> sqlite3.Connection:
        if self._db is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(str(self.path), timeout=10, check_same_thread=False, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute(SCHEMA)
            self._db = db
        return self._db

    def _add(self, measure: str, topic: str, country: str | None, language: str | None, day: dt.date | None) -> None:
        assert measure in MEASURES
        key = ((day or today()).isoformat(), topic, (country or UNKNOWN).upper(), language or UNKNOWN)
        with self._lock:
            self._connection().execute(
                f"INSERT INTO counts (day, topic, country, language, {measure}) VALUES (?, ?, ?, ?, 1) "
                f"ON CONFLICT (day, topic, country, language) DO UPDATE SET {measure} = {measure} + 1",
                key,
            )

    def asked(self, topic: str, country: str | None, language: str | None, day: dt.date | None = None) -> None:
        self._add("asked", topic, country, language, day)

    def feedback(self, useful: bool, topic: str, country: str | None, language: str | None, day: dt.date | None = None) -> None:
        self._add("useful_yes" if useful else "useful_no", topic, country, language, day)

    def rows(self, since: dt.date | None = None) -> list[Row]:
        """Raw rows (not suppressed: for aggregation only, never shown as they are)."""
        query = "SELECT day, topic, country, language, asked, useful_yes, useful_no FROM counts"
        params: tuple = ()
        if since:
            query += " WHERE day >= ?"
            params = (since.isoformat(),)
        with self._lock:
            found = self._connection().execute(query + " ORDER BY day, topic, country, language", params).fetchall()
        return [Row(*row) for row in found]

    # -- what may be shown ---------------------------------------------------------------------
    def summary(self, days: int = 30) -> dict:
        """Totals by topic, country, language and day over the last `days` days, suppressed."""
        since = today() - dt.timedelta(days=max(days, 1) - 1)
        rows = self.rows(since)
        totals: dict[str, dict[str, dict[str, int]]] = {
            "topic": defaultdict(lambda: defaultdict(int)),
            "country": defaultdict(lambda: defaultdict(int)),
            "language": defaultdict(lambda: defaultdict(int)),
            "day": defaultdict(lambda: defaultdict(int)),
        }
        for row in rows:
            for dimension in totals:
                bucket = totals[dimension][getattr(row, dimension)]
                for measure in MEASURES:
                    bucket[measure] += getattr(row, measure)
        result: dict = {"since": since.isoformat(), "until": today().isoformat(), "days": days}
        for dimension, groups in totals.items():
            ordered = sorted(groups.items(), key=(lambda kv: kv[0]) if dimension == "day" else (lambda kv: (-kv[1]["asked"], kv[0])))
            result[dimension] = [
                {"key": key, **{measure: shown(values[measure]) for measure in MEASURES}, "bar": values["asked"] if values["asked"] >= SUPPRESS_BELOW else 0}
                for key, values in ordered
            ]
        grand = sum(r.asked for r in rows)
        result["total"] = {"asked": shown(grand)}
        return result

    def csv(self, days: int = 30) -> str:
        """Day x topic x country x language rows, every count suppressed below 5."""
        since = today() - dt.timedelta(days=max(days, 1) - 1)
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["day", "topic", "country", "language", *MEASURES])
        for row in self.rows(since):
            writer.writerow([row.day, row.topic, row.country, row.language, *(shown(getattr(row, m)) for m in MEASURES)])
        return buffer.getvalue()

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None


_stores: dict[str, Analytics] = {}
_stores_lock = threading.Lock()


def store(directory: Path | None = None) -> Analytics:
    """One counter store per data directory for the process."""
    path = (directory or data_dir()) / "analytics.sqlite"
    with _stores_lock:
        if str(path) not in _stores:
            _stores[str(path)] = Analytics(path)
        return _stores[str(path)]
