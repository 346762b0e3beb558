"""Search (issue 14, point 6): one box finds ventures, milestones, issues, comments, status
updates and ledger references, only what the user may see, best match first, the match
marked and everything else escaped; the API answers the same at /api/v1/search."""

import re

import pytest
from sqlalchemy import text

from cotrack.extensions import db
from cotrack.services import issues, milestones, ventures
from cotrack.services.updates import post_update
from tests.conftest import login

ROLES = ("lead", "finance", "member", "admin", "outsider")
TABLES = ("venture", "milestone", "issue", "issue_comment", "status_update", "revenue_entry")


@pytest.fixture
def found(cast, make_venture):
    """The cast's venture with a word ("Zephyrine") in one of each kind, and another venture
    (nobody of the cast belongs to it) holding the same word everywhere."""
    lead = cast.users["lead"]
    issues.add_comment(lead, cast.venture, cast.issue, "The zephyrine bracket <b>bent</b>.")
    milestones.update_milestone(lead, cast.venture, cast.milestone,
                                {"description": "Measure the Zephyrine room"},
                                cast.milestone.version)
    post_update(lead, cast.venture, health="green", summary="Zephyrine shipped.",
                decisions="")
    from cotrack.services import ledger
    cast.zephyr_entry = ledger.record_entry(cast.users["finance"], cast.venture, {
        "date": "2025-03-01", "amount": "12.50", "reference": "ZEPHYRINE-7"})
    other = make_venture(name="Zephyrine elsewhere")
    issues.raise_issue(other.leads["customer"], other.venture, {
        "title": "Zephyrine other issue", "severity": "low", "party": "customer"})
    cast.other = other
    db.session.commit()
    return cast


def _api(client, make_token, user, **query):
    return client.get("/api/v1/search", query_string=query, headers=make_token(user))


@pytest.mark.parametrize("role", ROLES)
def test_api_finds_each_kind_the_role_may_see_and_nothing_else(client, found, make_token,
                                                                role):
    response = _api(client, make_token, found.users[role], q="zephyr", per_page=200)
    assert response.status_code == 200, response.json
    kinds = {item["kind"] for item in response.json["items"]}
    ventures_shown = {item["venture"]["id"] for item in response.json["items"]}
    expected = {"lead": {"milestone", "comment", "update", "ledger"},
                "finance": {"milestone", "comment", "update", "ledger"},
                "member": {"milestone", "comment", "update"},
                "admin": {"milestone", "comment", "update", "ledger", "venture", "issue"},
                "outsider": set()}[role]
    assert kinds == expected
    if role == "admin":
        assert ventures_shown == {found.venture.id, found.other.venture.id}
    else:
        assert ventures_shown <= {found.venture.id}
    assert response.json["total"] == len(response.json["items"])


def test_every_word_must_match_and_the_last_may_be_a_start(client, found, make_token):
    lead = found.users["lead"]
    assert _api(client, make_token, lead, q="zephyrine room").json["total"] == 1
    assert _api(client, make_token, lead, q="zephyrine ro").json["total"] == 1
    assert _api(client, make_token, lead, q="zephyr room").json["total"] == 0
    assert _api(client, make_token, lead, q="ephyrine").json["total"] == 0
    titles = [i["title"] for i in _api(client, make_token, lead, q="rack fit").json["items"]]
    assert titles == ["Rack does not fit"]


def test_a_title_match_ranks_above_a_body_match(client, cast, make_token):
    lead = cast.users["lead"]
    milestones.create_milestone(lead, cast.venture, {
        "title": "Other work", "description": "quokka " * 3, "stage": "feasibility",
        "party": "customer", "due_date": "2030-01-31"})
    milestones.create_milestone(lead, cast.venture, {
        "title": "Quokka enclosure", "stage": "feasibility", "party": "customer",
        "due_date": "2030-01-31"})
    db.session.commit()
    items = _api(client, make_token, lead, q="quokka").json["items"]
    assert [i["title"] for i in items] == ["Quokka enclosure", "Other work"]


def test_the_index_follows_edits_and_deletions(client, cast, make_token):
    lead = cast.users["lead"]
    ventures.update_venture(lead, cast.venture, {"name": "Narwhal programme"})
    db.session.commit()
    assert _api(client, make_token, lead, q="narwhal").json["items"][0]["kind"] == "venture"
    ventures.update_venture(lead, cast.venture, {"name": "Walrus programme"})
    milestones.delete_milestone(lead, cast.venture, cast.milestone, cast.milestone.version)
    db.session.commit()
    assert _api(client, make_token, lead, q="narwhal").json["total"] == 0
    assert _api(client, make_token, lead, q="site survey").json["total"] == 0


@pytest.mark.parametrize("query, status", [({}, 422), ({"q": ""}, 422), ({"q": "!!"}, 422),
                                           ({"q": "x" * 201}, 422), ({"q": "a\x00b"}, 422),
                                           ({"q": "ok", "page": "x"}, 422)])
def test_api_refuses_a_query_it_cannot_search_naming_the_parameter(client, cast, make_token,
                                                                   query, status):
    response = _api(client, make_token, cast.users["lead"], **query)
    assert response.status_code == status
    assert set(response.json["error"]["fields"]) == {"page" if "page" in query else "q"}


def test_the_page_marks_the_match_and_escapes_the_rest(client, found):
    login(client, found.users["member"].email)
    html = client.get("/search", query_string={"q": "zephyrine"}).get_data(as_text=True)
    assert "<mark>zephyrine</mark> bracket &lt;b&gt;bent&lt;/b&gt;" in html
    assert "<b>bent</b>" not in html
    assert "Measure the <mark>Zephyrine</mark> room" in html
    assert "ZEPHYRINE-7" not in html  # a member sees no ledger reference
    assert "Zephyrine other issue" not in html
    assert f'/ventures/{found.venture.id}/issues/{found.issue.id}#comment-' in html


def test_a_hostile_query_is_text_on_the_page(client, found):
    login(client, found.users["lead"].email)
    html = client.get("/search", query_string={"q": '"><b>zephyrine</b>'}
                      ).get_data(as_text=True)
    assert '"><b>' not in html
    assert 'value="&#34;&gt;&lt;b&gt;zephyrine&lt;/b&gt;"' in html
    assert ("<mark>zephyrine</mark> bracket &lt;<mark>b</mark>&gt;bent&lt;/<mark>b</mark>&gt;"
            in html)


def test_the_page_paginates_keeping_the_query(client, cast):
    lead = cast.users["lead"]
    for n in range(23):
        issues.raise_issue(lead, cast.venture, {"title": f"Gadget fault {n}",
                                                 "severity": "low", "party": "customer"})
    db.session.commit()
    login(client, lead.email)
    first = client.get("/search", query_string={"q": "gadget"}).get_data(as_text=True)
    assert first.count('data-testid="search-hit"') == 20 and "23 in all" in first
    assert "q=gadget" in first and "page=2" in first
    second = client.get("/search", query_string={"q": "gadget", "page": 2})
    assert second.get_data(as_text=True).count('data-testid="search-hit"') == 3


@pytest.fixture
def gadgets(app, cast, monkeypatch):
    """Seven issues titled "Gadget fault", with the count capped at five (the app's is
    10,000: one word can match 210,000 rows at full scale)."""
    monkeypatch.setitem(app.config, "SEARCH_COUNT_CAP", 5)
    for n in range(7):
        issues.raise_issue(cast.users["lead"], cast.venture, {
            "title": f"Gadget fault {n}", "severity": "low", "party": "customer"})
    db.session.commit()
    return cast


def test_past_the_cap_the_api_says_the_count_is_not_exact(client, gadgets, make_token):
    lead = gadgets.users["lead"]
    first = _api(client, make_token, lead, q="gadget", per_page=2).json
    assert (first["total"], first["total_exact"], len(first["items"])) == (5, False, 2)
    # only the best five are reachable: page 3 holds the fifth alone, page 4 nothing
    third = _api(client, make_token, lead, q="gadget", per_page=2, page=3).json
    assert [len(third["items"]), third["total"]] == [1, 5]
    assert _api(client, make_token, lead, q="gadget", per_page=2, page=4).json["items"] == []
    seen = [i["id"] for p in (1, 2, 3) for i in _api(client, make_token, lead, q="gadget",
                                                     per_page=2, page=p).json["items"]]
    assert len(set(seen)) == 5
    exact = _api(client, make_token, lead, q="gadget fault 3").json
    assert (exact["total"], exact["total_exact"]) == (1, True)


@pytest.mark.parametrize("per_page", [1, 2, 3, 6])
def test_past_the_cap_the_pages_hold_the_best_matches_in_order(app, client, gadgets,
                                                               make_token, per_page):
    """The capped pages, joined, are the first five of the uncapped ranking, whatever the
    page size (the cap takes the best matches, not the first found)."""
    lead = gadgets.users["lead"]
    app.config["SEARCH_COUNT_CAP"] = 10_000
    ranked = [(i["kind"], i["id"]) for i in _api(client, make_token, lead, q="gadget",
                                                  per_page=200).json["items"]]
    app.config["SEARCH_COUNT_CAP"] = 5
    seen = []
    for page in range(1, 8):
        items = _api(client, make_token, lead, q="gadget", per_page=per_page,
                     page=page).json["items"]
        seen += [(i["kind"], i["id"]) for i in items]
    assert len(ranked) == 7 and seen == ranked[:5]


@pytest.mark.parametrize("cap, exact", [(7, True), (6, False)])
def test_exactly_the_cap_is_exact_and_one_more_is_not(app, client, gadgets, make_token, cap,
                                                       exact):
    app.config["SEARCH_COUNT_CAP"] = cap
    found = _api(client, make_token, gadgets.users["lead"], q="gadget").json
    assert (found["total"], found["total_exact"]) == (min(7, cap), exact)


def test_past_the_cap_the_page_says_more_than(client, gadgets):
    login(client, gadgets.users["lead"].email)
    html = client.get("/search", query_string={"q": "gadget"}).get_data(as_text=True)
    assert html.count('data-testid="search-hit"') == 5 and "More than 5 in all" in html
    assert "Only the best 5 matches are shown: add a word to narrow the search." in html
    html = client.get("/search", query_string={"q": "gadget fault 3"}).get_data(as_text=True)
    assert "1 in all" in html and "More than" not in html and "search-capped" not in html


@pytest.mark.parametrize("hostile", [{"endpoint": "x"}, {"_method": "POST"},
                                     {"_anchor": "zz"}, {"_external": "1", "_scheme": "ftp"}])
def test_the_pager_ignores_names_url_for_keeps_for_itself(client, cast, hostile):
    """A query string holding url_for's own argument names made every list with a second
    page answer 500 (endpoint, _method) or write its page links elsewhere (_anchor,
    _external with _scheme)."""
    for n in range(23):
        issues.raise_issue(cast.users["lead"], cast.venture, {
            "title": f"Gadget fault {n}", "severity": "low", "party": "customer"})
    db.session.commit()
    login(client, cast.users["lead"].email)
    for page in (1, 99):
        response = client.get("/search", query_string={"q": "gadget", "page": page, **hostile})
        assert response.status_code == 200
        links = [link.strip() for link in re.findall(r'href="([^"]*page=\d+[^"]*)"',
                                                     response.text)]
        assert links and all(link.startswith("/search?") and "#" not in link
                             and "endpoint" not in link and "_" not in link.split("?")[1]
                             for link in links), links


def test_the_page_says_why_a_query_cannot_be_searched(client, cast):
    login(client, cast.users["lead"].email)
    response = client.get("/search", query_string={"q": "x" * 300})
    assert response.status_code == 422
    assert "at most 200 characters" in response.get_data(as_text=True)
    assert client.get("/search").status_code == 200


def test_the_navbar_holds_the_search_box(client, cast):
    login(client, cast.users["member"].email)
    html = client.get("/").get_data(as_text=True)
    assert 'id="nav-search"' in html and "search.js" in html


def test_a_reference_is_found_by_its_parts(client, found, make_token):
    lead = found.users["lead"]
    for q in ("ZEPHYRINE-7", "zephyrine 7", "7 zeph"):
        kinds = [i["kind"] for i in _api(client, make_token, lead, q=q).json["items"]]
        assert kinds == ["ledger"], q


def test_a_ledger_hit_carries_its_amount_as_money_is_written_everywhere(client, found,
                                                                        make_token):
    """API.md: money is a decimal string with the currency's minor digits, never a number
    (the search answered 1250, minor units, for EUR 12.50)."""
    [item] = _api(client, make_token, found.users["finance"], q="ZEPHYRINE-7").json["items"]
    assert (item["amount"], item["currency"]) == ("12.50", "EUR")


def test_the_results_page_shows_a_ledger_hit_s_money_with_its_currency(client, found):
    login(client, found.users["finance"].email)
    html = client.get("/search", query_string={"q": "ZEPHYRINE-7"}).get_data(as_text=True)
    assert re.search(r'<span class="money">EUR\s12\.50</span>', html)  # not "· 12.50"


def test_a_one_character_word_matches_only_itself(client, cast, make_token):
    lead = cast.users["lead"]
    for title in ("Valve 7 leaks", "Valve 70 leaks"):
        issues.raise_issue(lead, cast.venture, {"title": title, "severity": "low",
                                                 "party": "customer"})
    db.session.commit()
    items = _api(client, make_token, lead, q="valve 7").json["items"]
    assert [i["title"] for i in items] == ["Valve 7 leaks"]
    assert _api(client, make_token, lead, q="valve 70").json["total"] == 1
    assert _api(client, make_token, lead, q="valve 7l").json["total"] == 0


def test_every_searched_table_feeds_the_index(app):
    """A later migration that copies one of these tables (SQLite's batch mode) drops its
    triggers; this notices."""
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            names = set(db.session.scalars(text(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' "
                "AND name LIKE 'search_%'")))
            expected = {f"search_{t}_{event}" for t in TABLES for event in ("insert", "delete")}
            expected |= {f"search_{t}_update" for t in TABLES if t != "revenue_entry"}
        else:
            names = set(db.session.scalars(text(
                "SELECT table_name FROM information_schema.columns "
                "WHERE column_name = 'search_vector' AND is_generated = 'ALWAYS'")))
            expected = set(TABLES)
        db.session.rollback()
    assert names == expected
