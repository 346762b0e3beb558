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
