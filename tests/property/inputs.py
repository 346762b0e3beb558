"""What people (and attackers) type: valid values and hostile ones, each knowing whether
DOMAIN.md's "Valid input" allows it.

Values are drawn as small specs with a short repr, so a failing run prints readable steps
(``Txt('long', 20001)`` rather than twenty thousand characters); the rule builds the value.
"""

import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from hypothesis import strategies as st

TODAY = date.today()
#: ids no row can have: past PostgreSQL's INTEGER (2^31) and SQLite's (2^63) ranges
HUGE_IDS = (2**63, 2**31, 2**63 + 1, 2**64, 10**30, 2**32)
#: characters with no place in text: C0 and C1 controls, DEL
CONTROL = ("\x00", "\x01", "\x07", "\x0b", "\x1b", "\x1f", "\x7f", "\x85", "\x9f", "\r")
SAFE = st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Co", "Cn", "Cf", "Zl",
                                                        "Zp"))


@dataclass(frozen=True)
class Txt:
    """A text value: ``ok`` (marker and safe text), or a hostile kind."""

    kind: str          # ok, ctrl, tab, newline, surrogate, long, blank
    tail: str = ""
    n: int = 0         # the control character's index, or the length of a long text

    def build(self, marker: str, html: bool = False) -> str:
        if self.kind == "ok":
            return f"{marker} {self.tail}"
        if self.kind == "ctrl":
            return f"{marker} {self.tail}{CONTROL[self.n % len(CONTROL)]}x"
        if self.kind in ("tab", "newline"):
            return f"{marker} {self.tail}" + ("\t" if self.kind == "tab" else "\n") + "x"
        if self.kind == "surrogate":
            # a form cannot carry a lone surrogate; a browser sends the replacement character
            return f"{marker} " + ("\ufffd" if html else "\ud800") + "x"
        if self.kind == "long":
            return marker + "x" * max(self.n - len(marker), 0)
        return "   "  # blank

    def valid(self, limit: int, required: bool, long_text: bool, html: bool = False) -> bool:
        if self.kind == "ok" or (self.kind in ("tab", "newline") and long_text):
            return True
        if self.kind == "surrogate":
            return html  # U+FFFD is a character like any other
        if self.kind == "blank":
            return not required
        if self.kind == "long":
            return self.n <= limit
        return False  # control characters; tab or newline in a one-line field

    def __repr__(self) -> str:
        extra = f", {self.n}" if self.kind in ("ctrl", "long") else ""
        return f"Txt({self.kind!r}{extra})"


def texts(limit: int) -> st.SearchStrategy[Txt]:
    tail = st.text(SAFE, max_size=12).map(lambda s: s.strip())
    return st.one_of(
        tail.map(lambda t: Txt("ok", t)),
        tail.map(lambda t: Txt("ok", t)),
        st.builds(Txt, st.just("ctrl"), tail, st.integers(0, len(CONTROL) - 1)),
        st.sampled_from([Txt("tab"), Txt("newline"), Txt("surrogate"), Txt("blank")]),
        st.sampled_from([limit + 1, limit * 3, 100_001]).map(lambda n: Txt("long", n=n)),
    )


def is_plain(text: str, long_text: bool) -> bool:
    allowed = {"\t", "\n"} if long_text else set()
    return not any(unicodedata.category(c) in ("Cc", "Cs") and c not in allowed for c in text)


@dataclass(frozen=True)
class Day:
    value: str
    valid: bool

    def __repr__(self) -> str:
        return f"Day({self.value!r})"


BAD_DAYS = ["9999-12-31", "0001-01-01", "1899-12-31", "2200-01-01", "2026-02-30", "31.12.2026",
            "", "tomorrow"]


def days(start: date = date(1900, 1, 1), end: date = date(2199, 12, 31)) -> st.SearchStrategy:
    good = st.dates(start, end).map(lambda d: Day(d.isoformat(), True))
    bad = st.sampled_from(BAD_DAYS).map(lambda v: Day(v, False))
    return st.one_of(good, good, good, bad)


def near_today(before: int, after: int) -> st.SearchStrategy:
    return days(TODAY - timedelta(days=before), TODAY + timedelta(days=after))


@dataclass(frozen=True)
class Amount:
    value: object
    valid: bool
    distinctive: bool = False

    def __repr__(self) -> str:
        return f"Amount({self.value!r})"


BAD_AMOUNTS = ["1e999997", "sNaN", "NaN", "Infinity", "-Infinity", "1e999999",
               "10000000000000.00", "0", "0.00", "1.001", "abc", "", " ", 12.5, None]


def amounts(digits: int = 2) -> st.SearchStrategy:
    def fmt(minor: int) -> Amount:
        whole, part = divmod(minor, 10**digits)
        value = f"{whole}.{part:0{digits}d}" if digits else str(whole)
        return Amount(value, True, distinctive=minor >= 10**6)
    good = st.integers(1, 10**15 - 1).map(fmt)
    small = st.integers(1, 10**8).map(fmt)
    return st.one_of(good, small, small, st.sampled_from(BAD_AMOUNTS).map(
        lambda v: Amount(v, False)))


@dataclass(frozen=True)
class Shares:
    values: tuple
    valid: bool

    def as_dict(self) -> dict:
        return dict(zip(("customer", "reseller", "manufacturer"), self.values, strict=True))


def shares() -> st.SearchStrategy:
    def split(a: int, b: int) -> Shares:
        a, b = min(a, b), max(a, b)
        parts = (a, b - a, 10_000 - b)
        return Shares(tuple(f"{p // 100}.{p % 100:02d}" for p in parts), True)
    good = st.builds(split, st.integers(0, 10_000), st.integers(0, 10_000))
    bad = st.sampled_from([("sNaN", "50.00", "50.00"), ("1e999999", "0.00", "0.00"),
                           ("33.333", "33.333", "33.334"), ("-1.00", "51.00", "50.00"),
                           ("101.00", "0.00", "-1.00"), ("33.33", "33.33", "33.33"),
                           ("", "50.00", "50.00")]).map(lambda v: Shares(v, False))
    return st.one_of(good, good, bad)


@dataclass(frozen=True)
class Pick:
    """An object by position among those that exist, or an id that cannot exist."""

    mode: str   # existing, huge, missing
    n: int = 0

    def resolve(self, ids: list[int]) -> int | None:
        if self.mode == "huge":
            return HUGE_IDS[self.n % len(HUGE_IDS)]
        if self.mode == "missing" or not ids:
            return max(ids, default=0) + 1000
        return sorted(ids)[self.n % len(ids)]

    def __repr__(self) -> str:
        return f"Pick({self.mode!r}, {self.n})"


def picks() -> st.SearchStrategy[Pick]:
    existing = st.integers(0, 60).map(lambda n: Pick("existing", n))
    return st.one_of(existing, existing, existing, existing, existing,
                     st.builds(Pick, st.sampled_from(["huge", "missing"]), st.integers(0, 3)))


VERSIONS = ("current", "current", "current", "stale", "missing", "junk", "huge")
CHANNELS = ("api", "html")
