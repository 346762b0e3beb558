"""The report filters' venture picker (cotrack/finance/picker.py): a viewer with few
ventures chooses from all of them; one with more than a list shows searches among them,
with or without script, and never finds another organisation's venture."""

import re

import pytest

from cotrack.extensions import db
from tests.conftest import login


@pytest.fixture
def many(app, books, make_venture, monkeypatch):
    """Finance of an organisation that is the customer of four ventures, and an outsider's
    venture whose name matches theirs; the picker lists at most three."""
    monkeypatch.setitem(app.config, "VENTURE_PICKER_LIMIT", 3)
    ns = books()
    org = ns.orgs["customer"]
    ns.ventures = [ns.venture]
    for name in ("Array 2", "Cooler 100%", "Cooler 1000"):
        venture = make_venture(name=name).venture
        next(p for p in venture.parties if p.role == "customer").organisation = org
        ns.ventures.append(venture)
    ns.venture.name = "Array <One>"
    ns.theirs = make_venture(name="Array of theirs").venture
    db.session.commit()
    login(client_of(app, ns), ns.finance["customer"].email)
    return ns


def client_of(app, ns):
    ns.client = app.test_client()
    return ns.client


def listed(html: str) -> list[str]:
    select = html.split('id="venture_id"', 1)[1].split("</select>", 1)[0]
    return re.findall(r"<option value=\"\d*\"[^>]*>([^<]*)</option>", select)


def test_few_ventures_are_all_listed_and_no_search_is_offered(client, books):
    ns = books()
    login(client, ns.finance["customer"].email)
    for page in ("/reports", "/reports/ledger"):
        html = client.get(page).get_data(as_text=True)
        assert listed(html) == ["All", ns.venture.name]
        assert 'id="venture_q"' not in html and "picker.js" not in html


@pytest.mark.parametrize("page", ["/reports", "/reports/ledger"])
def test_more_ventures_than_a_list_shows_are_searched_for(many, page):
    html = many.client.get(page).get_data(as_text=True)
    assert listed(html) == ["All", "Array 2", "Array &lt;One&gt;", "Cooler 100%"]
    assert 'id="venture_q"' in html
    assert "Your first 3 ventures by name; type part of a name to find any other." in html

    html = many.client.get(f"{page}?venture_q=aRRay").get_data(as_text=True)
    assert listed(html) == ["All", "Array 2", "Array &lt;One&gt;"]  # not "Array of theirs"
    assert 'value="aRRay"' in html and "2 ventures like “aRRay”." in html

    html = many.client.get(f"{page}?venture_q=100%25").get_data(as_text=True)
    assert listed(html) == ["All", "Cooler 100%"]  # % is a character, not a wildcard
    html = many.client.get(f"{page}?venture_q=nothing+like+it").get_data(as_text=True)
    assert listed(html) == ["All"] and "No venture of yours is named like" in html
    html = many.client.get(f"{page}?venture_q=R").get_data(as_text=True)  # four of theirs
    assert listed(html) == ["All", "Array 2", "Array &lt;One&gt;", "Cooler 100%"]
    assert "The first 3 ventures like “R”." in html
    html = many.client.get(f"{page}?venture_q=o").get_data(as_text=True)  # just three
    assert "3 ventures like “o”." in html and "The first" not in html


@pytest.mark.parametrize("page", ["/reports", "/reports/ledger"])
def test_a_search_too_long_is_named_beside_the_filters(many, page):
    response = many.client.get(page, query_string={"venture_q": "x" * 101})
    assert response.status_code == 422
    assert "<strong>Find a venture</strong>" in response.text
    assert "Use at most 100 characters." in response.text


def test_the_chosen_venture_stays_listed_beside_a_search(many):
    chosen = many.ventures[2]
    html = many.client.get(f"/reports?venture_id={chosen.id}&venture_q=array") \
        .get_data(as_text=True)
    assert listed(html) == ["All", "Cooler 100%", "Array 2", "Array &lt;One&gt;"]
    assert f'<option value="{chosen.id}" selected>Cooler 100%</option>' in html
    assert many.client.get(f"/reports?venture_id={many.theirs.id}").status_code == 404


def test_the_search_as_one_types_answers_the_viewer_s_ventures_only(many):
    answer = many.client.get("/reports/ventures?venture_q=array").json
    assert answer == {"ventures": [{"id": many.ventures[1].id, "name": "Array 2"},
                                   {"id": many.ventures[0].id, "name": "Array <One>"}],
                      "more": False}
    answer = many.client.get("/reports/ventures?venture_q=R").json  # four of theirs
    assert [v["name"] for v in answer["ventures"]] == ["Array 2", "Array <One>",
                                                       "Cooler 100%"]
    assert answer["more"] is True
    first = many.client.get("/reports/ventures").json  # nothing typed: the first by name
    assert [v["name"] for v in first["ventures"]] == ["Array 2", "Array <One>", "Cooler 100%"]
    assert first["more"] is True
    too_long = many.client.get("/reports/ventures?venture_q=" + "x" * 101)
    assert too_long.status_code == 422 and "Use at most 100 characters." in too_long.text


def test_the_search_is_for_those_who_use_reports(many, app):
    member = app.test_client()
    login(member, many.member.email)
    assert member.get("/reports/ventures?venture_q=array").status_code == 403
    anonymous = app.test_client().get("/reports/ventures?venture_q=array")
    assert anonymous.status_code in (302, 401) and b"Array" not in anonymous.data
