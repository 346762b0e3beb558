"""What a search asks for: the words of a query, as each database's full-text syntax.

A query is read as its words (letters and digits; everything else separates them, as both
databases' tokenisers do), all of them required; each matches a whole word, except the last,
which may be the start of one, as one types: "storage arr" finds "Mobile storage array".
(A start matches through every word beginning so; for "INV-4240-7" as three starts, "inv"
alone would be a million ledger entries to read.) A last word of one character matches
only itself. Nothing the user types reaches the full-text syntax except those words, so
no query can be malformed.
"""

import re

#: a query longer than this is refused (422 naming q); words beyond MAX_TERMS are ignored
MAX_QUERY = 200
MAX_TERMS = 8
WORD = re.compile(r"[^\W_]+")


def search_terms(query: str) -> list[str]:
    """The query's distinct words, lower-cased, at most MAX_TERMS, longest first kept."""
    seen: list[str] = []
    for word in WORD.findall(query.casefold()):
        if word not in seen:
            seen.append(word)
    return seen[:MAX_TERMS]


def prefixes(terms: list[str]) -> list[bool]:
    """For each term: does it match the start of words (the last one, of two characters or
    more), or only a whole word?"""
    return [i == len(terms) - 1 and len(term) > 1 for i, term in enumerate(terms)]


def fts5_query(terms: list[str]) -> str:
    """SQLite FTS5: all required, the last a prefix (``"storage" "arr"*``)."""
    return " ".join(f'"{term}"' + ("*" if prefix else "")
                    for term, prefix in zip(terms, prefixes(terms), strict=True))


def tsquery(terms: list[str]) -> str:
    """PostgreSQL to_tsquery: all required, the last a prefix (``'storage' & 'arr':*``)."""
    return " & ".join(f"'{term}'" + (":*" if prefix else "")
                      for term, prefix in zip(terms, prefixes(terms), strict=True))


def query_problem(query: str) -> str | None:
    """Why ``query`` cannot be searched for, or None (the message names no field: the
    caller names ``q``)."""
    if len(query) > MAX_QUERY:
        return f"Search for at most {MAX_QUERY} characters."
    if not WORD.search(query):
        return "Type a word to search for (letters or digits)."
    return None
