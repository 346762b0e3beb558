"""Full-text search over what a user may see: ventures, milestones, issues, comments, status
updates and (for those who may view revenue) ledger references, best match first.

One Select per database (SQLite's FTS5 table, PostgreSQL's tsvector columns; see
cotrack/db/search.py), both giving rows of (kind, object_id, venture_id, title, body,
score), filtered by the permission twins: ``sql_can_view_venture`` for everything and
``sql_can_view_revenue`` for ledger entries, exactly as the lists of each kind are.
"""

from dataclasses import dataclass

from sqlalchemy import (
    Integer,
    Select,
    Subquery,
    and_,
    cast,
    false,
    func,
    literal,
    literal_column,
    or_,
    select,
    union_all,
)

from cotrack.db.search import KIND_CODES, KINDS, PG_TABLES, ROWID_STRIDE, search_fts
from cotrack.domain.permissions import sql_can_view_revenue, sql_can_view_venture
from cotrack.domain.search_terms import fts5_query, tsquery
from cotrack.extensions import db
from cotrack.models import Issue, IssueComment, RevenueEntry, User, Venture


def search(user: User, terms: list[str], cap: int) -> Select:
    """Rows (kind, object_id, venture_id, [title, body,] score) matching every term, best
    first: the best ``cap`` + 1 of them, each with ``total``, how many of those there are;
    the caller paginates (``paginate(..., rows="counted", count_cap=cap)``).

    Every match is ranked, but only the best ``cap`` are counted and can be paged to (the
    app's SEARCH_COUNT_CAP, 10,000): past it a search says "more than 10,000", as search
    engines do, instead of counting and sorting every one of the 210,000 rows one word can
    match at full scale, a third of such a search's time (bench/README.md, "Search")."""
    build, order = (_postgres, _pg_order) if db.engine.dialect.name == "postgresql" \
        else (_sqlite, _sqlite_order)
    hits = build(user, terms or ["0"])
    ranked = select(hits).order_by(*order(hits.c)).limit(cap + 1)
    if not terms:  # words that fold to nothing: a well-formed query that finds nothing
        ranked = ranked.where(false())
    best = ranked.subquery("best")
    return select(best, func.count().over().label("total")).order_by(*order(best.c))


def _visible(user: User, venture_id, ledger) -> object:
    """The twins: the venture may be viewed, and for a ledger entry its revenue too
    (``ledger``: True, False, or a clause telling whether the row is a ledger entry)."""
    if ledger is True or ledger is False:
        return (and_(sql_can_view_venture(user, venture_id),
                     sql_can_view_revenue(user, venture_id))
                if ledger else sql_can_view_venture(user, venture_id))
    return and_(sql_can_view_venture(user, venture_id),
                or_(~ledger, sql_can_view_revenue(user, venture_id)))


def _sqlite(user: User, terms: list[str]) -> Subquery:
    fts = literal_column("search_fts")  # the table's own name is its MATCH column
    code = (search_fts.c.rowid % ROWID_STRIDE)
    score = func.bm25(fts, 4.0, 1.0)  # title weighs four times the body; lower is better
    hits = (
        select(code.label("kind"), (search_fts.c.rowid // ROWID_STRIDE).label("object_id"),
               cast(search_fts.c.venture_id, Integer).label("venture_id"),
               search_fts.c.title, search_fts.c.body, (-score).label("score"))
        .where(fts.op("MATCH")(fts5_query(terms)),
               _visible(user, search_fts.c.venture_id, code == KINDS["ledger"]))
    ).subquery("hits")  # FTS5's bm25() cannot stand beside a window function
    return hits


def _sqlite_order(c) -> tuple:
    return c.score.desc(), c.object_id.desc(), c.kind


def _texts(kind: str) -> tuple:
    """PostgreSQL: the (title, body) a hit of ``kind`` shows, as columns of its table."""
    c = PG_TABLES[kind].c
    return {
        "venture": (c.get("name"), c.get("description")),
        "comment": (literal(""), c.get("body")),
        "update": (literal(""), func.concat_ws(" ", c.get("summary"), c.get("decisions"))),
        "ledger": (c.get("reference"), func.concat_ws(" ", c.get("region"), c.get("note"))),
    }.get(kind, (c.get("title"), c.get("description")))


def _postgres(user: User, terms: list[str]) -> Subquery:
    """Only (kind, id, venture, score) are ranked: a common word matches 100,000 rows,
    and carrying their texts through the sort cost as much as finding them. The page's
    twenty texts are read afterwards (``load_hits``)."""
    query = func.to_tsquery(literal_column("'simple'::regconfig"), tsquery(terms))
    parts = []
    for kind, table in PG_TABLES.items():
        c = table.c
        venture_id = {"venture": c.id, "comment": None}.get(kind, getattr(c, "venture_id", None))
        frm = table
        if kind == "comment":
            issue = PG_TABLES["issue"].alias("comment_issue")
            frm = table.join(issue, issue.c.id == c.issue_id)
            venture_id = issue.c.venture_id
        parts.append(
            select(literal(KINDS[kind]).label("kind"), c.id.label("object_id"),
                   venture_id.label("venture_id"),
                   func.ts_rank(c.search_vector, query).label("score"))
            .select_from(frm)
            .where(c.search_vector.op("@@")(query),
                   _visible(user, venture_id, kind == "ledger")))
    return union_all(*parts).subquery("hits")


def _pg_order(c) -> tuple:
    return c.score.desc(), c.kind, c.object_id.desc()


def _page_texts(rows) -> dict:
    """PostgreSQL: {(kind code, id): (title, body)} of a page of rows (a query per kind)."""
    wanted: dict[str, list[int]] = {}
    for r in rows:
        wanted.setdefault(KIND_CODES[r.kind], []).append(r.object_id)
    texts = {}
    for kind, ids in wanted.items():
        table = PG_TABLES[kind]
        title, body = _texts(kind)
        for row in db.session.execute(select(table.c.id, title, body)
                                      .where(table.c.id.in_(ids))):
            texts[(KINDS[kind], row[0])] = (row[1], row[2])
    return texts


@dataclass
class Hit:
    """One result as pages and the API show it."""

    kind: str
    id: int
    venture_id: int
    venture_name: str
    title: str
    text: str
    #: for a comment: its issue's id (its page); for a ledger entry: nothing more
    issue_id: int | None = None


def load_hits(rows) -> list[Hit]:
    """Hits for a page of rows, with their ventures' names and comments' issues (and on
    PostgreSQL their texts: a query per kind on the page), whatever the page size."""
    rows = list(rows)
    # SQLite's rows carry their texts; PostgreSQL's are read for the page alone
    texts = _page_texts(rows) if rows and "title" not in rows[0]._fields else None
    names = dict(db.session.execute(select(Venture.id, Venture.name).where(
        Venture.id.in_({r.venture_id for r in rows}))).all()) if rows else {}
    comment_ids = [r.object_id for r in rows if KIND_CODES[r.kind] == "comment"]
    issues = {}
    if comment_ids:
        issues = {row.id: row for row in db.session.execute(
            select(IssueComment.id, Issue.id.label("issue_id"), Issue.title)
            .join(Issue, Issue.id == IssueComment.issue_id)
            .where(IssueComment.id.in_(comment_ids)))}
    hits = []
    for r in rows:
        kind = KIND_CODES[r.kind]
        title, body = texts.get((r.kind, r.object_id), ("", "")) if texts is not None \
            else (r.title, r.body)
        hit = Hit(kind, r.object_id, r.venture_id, names.get(r.venture_id, ""),
                  title or "", body or "")
        if kind == "comment" and r.object_id in issues:
            hit.issue_id, hit.title = issues[r.object_id].issue_id, issues[r.object_id].title
        hits.append(hit)
    return hits


def ledger_amounts(hits: list[Hit]) -> dict[int, tuple[int, str]]:
    """{entry id: (amount, currency)} of the ledger hits (already filtered by the twin)."""
    ids = [h.id for h in hits if h.kind == "ledger"]
    if not ids:
        return {}
    return {row.id: (row.amount, row.currency) for row in db.session.execute(
        select(RevenueEntry.id, RevenueEntry.amount, RevenueEntry.currency)
        .where(RevenueEntry.id.in_(ids)))}
