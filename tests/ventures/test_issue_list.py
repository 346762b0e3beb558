"""The issue list: each issue with the names of who it is assigned to, who raised it and
its milestone, filtered as asked."""

import re

from cotrack.extensions import db
from cotrack.services import issues
from tests.conftest import login


def _rows(html: str) -> list[list[str]]:
    rows = re.findall(r'<tr data-testid="issue-row">(.*?)</tr>', html, re.S)
    return [[re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>",
                                                                          row, re.S)]
            for row in rows]


def test_each_issue_shows_its_assignee_raiser_and_milestone(client, cast):
    lead, member = cast.users["lead"], cast.users["member"]
    issues.raise_issue(member, cast.venture, {
        "title": "Fan too loud", "severity": "critical", "party": "customer",
        "assignee_id": lead.id, "milestone_id": cast.milestone.id})
    db.session.commit()
    login(client, member.email)
    rows = _rows(client.get(f"/ventures/{cast.venture.id}/issues").get_data(as_text=True))
    by_title = {row[1]: row for row in rows}
    assert by_title["Fan too loud"][2:] == ["critical", "open", "customer", lead.name,
                                            member.name, "Site survey"]
    assert by_title["Rack does not fit"][5:] == ["—", lead.name, ""]
    # critical first, then the rest
    assert [row[1] for row in rows] == ["Fan too loud", "Rack does not fit"]
    filtered = client.get(f"/ventures/{cast.venture.id}/issues?assignee={lead.id}")
    assert [row[1] for row in _rows(filtered.get_data(as_text=True))] == ["Fan too loud"]


def test_every_combination_of_filters_lists_the_issues_that_match_it(client, cast, make_token):
    """The list's statement is built once for each set of filters given, their values
    passed when it runs: asked one after another, with other values and other sets, each
    answer holds the issues matching its own filters, as the API lists them."""
    import itertools

    lead, member = cast.users["lead"], cast.users["member"]
    for title, severity, party, assignee in (
            ("Fan too loud", "critical", "customer", lead), ("Fan squeaks", "low", "reseller",
                                                            member),
            ("Door sticks", "high", "customer", None), ("Fan 100% off", "critical",
                                                        "manufacturer", member)):
        issues.raise_issue(member, cast.venture, {
            "title": title, "severity": severity, "party": party,
            "assignee_id": assignee.id if assignee else None})
    db.session.commit()
    token = make_token(member)
    login(client, member.email)
    base = f"/ventures/{cast.venture.id}/issues"
    choices = {"severity": ["critical", "low"], "party": ["customer", "manufacturer"],
               "assignee": [str(lead.id), str(member.id)], "q": ["fan", "DOOR"],
               "status": ["open"]}
    checked = 0
    for size in (0, 1, 2, 3):
        for names in itertools.combinations(sorted(choices), size):
            for values in itertools.product(*(choices[name] for name in names)):
                query = "&".join(f"{n}={v}" for n, v in zip(names, values, strict=True))
                shown = [row[1] for row in _rows(client.get(f"{base}?{query}").text)]
                api = client.get(f"/api/v1/ventures/{cast.venture.id}/issues?"
                                 f"{query.replace('assignee=', 'assignee_id=')}&per_page=200",
                                 headers=token).json
                assert shown == [issue["title"] for issue in api["items"]], query
                checked += 1
    assert checked > 50
    # and two of them spelled out: most severe first, the newest first within a severity
    critical = [row[1] for row in _rows(client.get(f"{base}?severity=critical").text)]
    assert critical == ["Fan 100% off", "Fan too loud"]
    fans = [row[1] for row in _rows(client.get(f"{base}?q=FAN&assignee={member.id}").text)]
    assert fans == ["Fan 100% off", "Fan squeaks"]
