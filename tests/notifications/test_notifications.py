"""Notifications (issue 12): written with the change, to those who may see its subject,
in the inbox and the bell, mailed at once by choice; mentions; waiting on you."""

import re
from datetime import date

import sqlalchemy as sa
from markupsafe import escape

from cotrack.domain.permissions import can_view_notification, sql_can_view_notification
from cotrack.extensions import db
from cotrack.mail.unsubscribe import make_token
from cotrack.models import (
    EmailPreference,
    Issue,
    Milestone,
    Notification,
    OutboundMail,
    User,
    Venture,
)
from cotrack.queries.waiting import kinds_waiting
from cotrack.services import gates, issues, notifications
from tests.conftest import csrf_token, login, post_form
from tests.query_counter import count_queries


def _inbox(user):
    return db.session.scalars(sa.select(Notification).where(Notification.user_id == user.id)
                              .order_by(Notification.id)).all()


def test_a_gate_request_tells_the_other_leads_at_once_by_mail(client, cast, make_token, smtp):
    requester = cast.leads["reseller"]
    response = client.post(f"/api/v1/ventures/{cast.venture.id}/gate",
                           headers=make_token(requester))
    assert response.status_code == 201
    for role in ("customer", "manufacturer"):
        (note,) = [n for n in _inbox(cast.leads[role]) if n.kind == "gate_requested"]
        assert note.text.startswith(f"{requester.name} requested the gate Discovery → "
                                    "Feasibility")
        assert note.url == f"/ventures/{cast.venture.id}#gate"
    assert not [n for n in _inbox(requester) if n.kind == "gate_requested"]
    assert not _inbox(cast.users["member"])  # gates wait on leads only
    mails = {m["To"]: m for m in smtp.messages}
    assert set(mails) == {cast.leads["customer"].email, cast.leads["manufacturer"].email}
    message = mails[cast.leads["customer"].email]
    stored = db.session.scalar(sa.select(OutboundMail).where(
        OutboundMail.to_address == cast.leads["customer"].email))
    assert message["Message-ID"].strip() == stored.message_id and stored.sent_at is not None
    assert cast.venture.name in message["Subject"]
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    link = f"http://cotrack.test/ventures/{cast.venture.id}#gate"
    assert link in text and f'href="{link}"' in html
    assert "requested the gate Discovery → Feasibility" in text
    assert message["List-Unsubscribe"].strip().startswith("<http://cotrack.test/mail/unsub")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_revenue_news_reaches_leads_and_finance_never_a_member(client, cast, make_token):
    finance = cast.users["finance"]
    response = client.post(f"/api/v1/ventures/{cast.venture.id}/revenue",
                           headers=make_token(finance),
                           json={"date": "2025-03-01", "amount": "12500.00", "reference": "R-9"})
    assert response.status_code == 201
    lead_view = client.get("/api/v1/notifications",
                           headers=make_token(cast.users["lead"])).json
    texts = [i["text"] for i in lead_view["items"] if i["kind"] == "revenue_recorded"]
    assert texts[0] == f"{finance.name} recorded R-9 (EUR\u00a012,500.00), dated 1 Mar 2025."
    member_view = client.get("/api/v1/notifications",
                             headers=make_token(cast.users["member"])).json
    assert not [i for i in member_view["items"] if "12,500" in i["text"] or "R-9" in i["text"]]
    assert cast.finance.id in {n.user_id for n in db.session.scalars(sa.select(Notification)
                               .where(Notification.kind == "revenue_recorded"))}


def test_the_inbox_shows_only_what_its_reader_may_still_see(client, cast, make_token):
    issues.add_comment(cast.users["member"], cast.venture, cast.issue, "Measured again.")
    client.post(f"/api/v1/ventures/{cast.venture.id}/revenue", headers=make_token(
        cast.users["finance"]), json={"date": "2025-03-02", "amount": "5.00", "reference": "R"})
    finance_lead = cast.finance  # another party's finance user: told of the revenue
    before = client.get("/api/v1/notifications", headers=make_token(finance_lead)).json
    assert any(i["kind"] == "revenue_recorded" for i in before["items"])
    finance_lead.role = "member"  # no longer sees revenue: nor its notifications
    db.session.commit()
    after = client.get("/api/v1/notifications", headers=make_token(finance_lead)).json
    assert not any(i["kind"] == "revenue_recorded" for i in after["items"])
    rows = db.session.scalars(sa.select(Notification)).all()
    for user in [*cast.users.values(), cast.finance, cast.finance_maker]:
        twin = set(db.session.scalars(sa.select(Notification.id).where(
            sql_can_view_notification(user))))
        rule = {n.id for n in rows if can_view_notification(user, n, n.venture)}
        assert twin == rule, user


def test_read_one_read_all_and_nobody_elses(client, cast, make_token):
    lead = make_token(cast.users["lead"])
    client.post("/api/v1/notifications/read-all", headers=lead)  # what the setup caused
    gates.request_gate(cast.leads["reseller"], cast.venture)
    issues.add_comment(cast.leads["reseller"], cast.venture, cast.issue, "Any news?")
    db.session.commit()
    unread = client.get("/api/v1/notifications?unread=true", headers=lead).json
    assert unread["total"] == 2
    first = unread["items"][0]
    assert first["url"].startswith("http://localhost/ventures/")
    assert client.post(f"/api/v1/notifications/{first['id']}/read", headers=lead).json["read"]
    other = make_token(cast.leads["manufacturer"])
    assert client.post(f"/api/v1/notifications/{first['id']}/read",
                       headers=other).status_code == 404
    assert client.post("/api/v1/notifications/read-all", headers=lead).json == {"updated": 1}
    assert client.get("/api/v1/notifications?unread=true", headers=lead).json["total"] == 0
    assert client.get("/api/v1/notifications?unread=maybe", headers=lead).status_code == 422


def test_a_mention_rings_the_bell_and_opening_it_lands_on_the_comment(client, cast):
    mentioned = cast.leads["manufacturer"]
    notifications.mark_all_read(mentioned)  # what the setup caused
    db.session.commit()
    login(client, cast.users["member"].email)
    page = f"/ventures/{cast.venture.id}/issues/{cast.issue.id}"
    post_form(client, f"{page}/comments",
              {"body": f"@{mentioned.name} can you check? Also @{cast.users['outsider'].name}."},
              form_page=page)
    comment = cast.issue.comments[-1]
    shown = client.get(page).text
    assert f'class="mention" href="/ventures/{cast.venture.id}/issues?assignee={mentioned.id}"' \
        in shown
    assert f"@{cast.users['outsider'].name}." in shown  # outside the venture: plain text
    assert not _inbox(cast.users["outsider"])
    client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/")})
    login(client, mentioned.email)
    home = client.get("/").text
    assert 'data-testid="bell-count">1<' in home
    (note,) = [n for n in _inbox(mentioned) if n.kind == "mentioned"]
    assert note.text.startswith(f"{cast.users['member'].name} mentioned you in a comment")
    response = client.post(f"/notifications/{note.id}/open",
                           data={"csrf_token": csrf_token(client, "/notifications")})
    assert response.status_code == 303
    assert response.location.endswith(f"{page}#comment-{comment.id}")
    assert f'id="comment-{comment.id}"' in client.get(page).text
    assert 'data-testid="bell-count"' not in client.get("/").text


def test_a_comment_tells_the_raiser_and_the_assignee(cast):
    issue = cast.issue
    issues.update_issue(cast.users["lead"], cast.venture, issue,
                        {"assignee_id": cast.users["member"].id}, issue.version)
    issues.add_comment(cast.leads["reseller"], cast.venture, issue, "Rack arrives Monday.")
    db.session.commit()
    for user in (cast.users["lead"], cast.users["member"]):
        kinds = [n.kind for n in _inbox(user)]
        assert "commented" in kinds, user
    assert "assigned" in [n.kind for n in _inbox(cast.users["member"])]


def test_a_change_of_health_stands_out(client, cast, make_token):
    url = f"/api/v1/ventures/{cast.venture.id}/updates"
    lead = make_token(cast.leads["reseller"])
    client.post(url, headers=lead, json={"health": "green", "summary": "All fine."})
    client.post(url, headers=lead, json={"health": "red", "summary": "Supplier failed."})
    texts = [n.text for n in _inbox(cast.users["member"]) if n.kind == "update_posted"]
    assert texts[0].startswith(f"{cast.leads['reseller'].name} posted a status update")
    assert texts[1].startswith("Health changed from green to red!")


def test_waiting_on_me_lists_what_each_must_do_with_its_age(client, cast, make_token):
    gates.request_gate(cast.leads["reseller"], cast.venture)
    db.session.commit()
    lead = client.get("/api/v1/me/waiting", headers=make_token(cast.users["lead"])).json
    kinds = {i["kind"]: i for i in lead}
    assert kinds["gate"]["detail"].startswith("still missing: ")
    assert cast.orgs["customer"].name in kinds["gate"]["detail"]
    assert kinds["gate"]["url"].endswith(f"/ventures/{cast.venture.id}#gate")
    assert "agreement" in kinds and kinds["agreement"]["since"]
    member = client.get("/api/v1/me/waiting", headers=make_token(cast.users["member"])).json
    assert not [i for i in member if i["kind"] in ("gate", "agreement")]
    login(client, cast.users["lead"].email)
    home = client.get("/").text
    assert "Waiting on you" in home and "Approve the gate Discovery → Feasibility" in home
    overview = client.get(f"/ventures/{cast.venture.id}").text
    assert f"{cast.orgs['manufacturer'].name}&#39;s approval of the gate" in overview


def test_one_click_unsubscribe_turns_that_kind_off_without_signing_in(app, client, cast):
    user = cast.users["lead"]
    with app.app_context():
        token = make_token(user.id, ["gate_passed"])
    assert "Unsubscribe" in client.get(f"/mail/unsubscribe/{token}").text
    assert client.post(f"/mail/unsubscribe/{token}").status_code == 200  # no CSRF token
    choice = db.session.get(EmailPreference, (user.id, "gate_passed"))
    assert choice.delivery == "off"
    assert client.post(f"/mail/unsubscribe/{token[:-3]}abc").status_code == 404


def test_mail_off_keeps_the_inbox_but_sends_nothing(client, cast, make_token, smtp):
    for role in ("customer", "manufacturer"):
        db.session.add(EmailPreference(user_id=cast.leads[role].id, kind="gate_requested",
                                       delivery="off"))
    db.session.commit()
    client.post(f"/api/v1/ventures/{cast.venture.id}/gate",
                headers=make_token(cast.leads["reseller"]))
    assert smtp.messages == []
    assert [n.kind for n in _inbox(cast.leads["customer"])][-1] == "gate_requested"


def test_a_gate_my_party_approved_waits_on_me_nowhere_when_my_organisation_has_other_roles(
        client, make_venture, make_user, make_token):
    first = make_venture()
    org = first.orgs["customer"]
    lead = first.leads["customer"]
    second = make_venture()
    # the same organisation is the reseller of a second venture (its invitation accepted)
    party = second.venture.party("reseller")
    party.organisation_id = org.id
    db.session.commit()
    gates.request_gate(first.leads["reseller"], first.venture)  # waits on lead (customer)
    gates.request_gate(second.leads["customer"], second.venture)
    gates.decide(lead, second.venture, "approve")  # for the reseller: lead's party there
    db.session.commit()
    waiting = client.get("/api/v1/me/waiting", headers=make_token(lead)).json
    assert [i["venture"]["id"] for i in waiting if i["kind"] == "gate"] == [first.venture.id]
    other = client.get("/api/v1/me/waiting", headers=make_token(second.leads["manufacturer"]))
    assert [i["kind"] for i in other.json] == ["gate"]


def test_a_venture_description_shows_its_mentions_as_links_and_the_rest_escaped(client, cast):
    """The overview's description: a person of the venture mentioned is a link; a
    description with no "@" at all is shown as it was written, escaped."""
    mentioned = cast.leads["manufacturer"]
    cast.venture.description = f"<b>Bold</b> & @{mentioned.name}, ask @Nobody Here"
    db.session.commit()
    login(client, cast.users["member"].email)
    page = client.get(f"/ventures/{cast.venture.id}").text
    assert ("&lt;b&gt;Bold&lt;/b&gt; &amp; <a class=\"mention\" href=\"/ventures/"
            f"{cast.venture.id}/issues?assignee={mentioned.id}\">@{mentioned.name}</a>, "
            "ask @Nobody Here") in page
    cast.venture.description = "<b>Bold</b> & no mention, a.b@example mail"
    db.session.commit()
    page = client.get(f"/ventures/{cast.venture.id}").text
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; no mention, a.b@example mail" in page
    cast.venture.description = "<i>Nobody</i> & nothing"
    db.session.commit()
    page = client.get(f"/ventures/{cast.venture.id}").text
    assert '<div class="pre-line">&lt;i&gt;Nobody&lt;/i&gt; &amp; nothing</div>' in page


def test_each_thing_waiting_names_its_venture(client, cast, make_token):
    """A milestone (overdue), an issue and a mention waiting on a member: each names its
    venture, on Home and in the API, and nothing of another person's is listed."""
    member = cast.users["member"]
    cast.milestone.assignee_id, cast.milestone.due_date = member.id, date(2020, 1, 31)
    cast.issue.assignee_id = member.id
    issues.add_comment(cast.leads["reseller"], cast.venture, cast.issue,
                       f"@{member.name} please look")
    db.session.commit()
    items = client.get("/api/v1/me/waiting", headers=make_token(member)).json
    venture = {"id": cast.venture.id, "name": cast.venture.name}
    titles = {i["kind"]: i["object"]["title"] for i in items}
    assert len(items) == 3 and all(i["venture"] == venture for i in items)
    assert titles["overdue"] == "Site survey" and titles["issue"] == "Rack does not fit"
    assert titles["mention"].startswith(f"{cast.leads['reseller'].name} mentioned you")
    assert items[0]["kind"] == "overdue" and items[0]["since"].startswith("2020-01-31")
    login(client, member.email)
    home = client.get("/").text
    for title in titles.values():
        assert re.search(rf">{re.escape(escape(title))}</a> <span class=\"text-body-secondary\">· "
                         rf"{re.escape(cast.venture.name)}</span>", home), title
    theirs = client.get("/api/v1/me/waiting", headers=make_token(cast.users["finance"])).json
    assert [i["kind"] for i in theirs] == ["agreement"]  # the proposal, to sign


def test_home_reads_only_the_kinds_of_thing_that_wait(app, client, cast):
    """Home asks once which kinds wait on the person and reads only those: the member's
    Home with nothing waiting runs fewer statements than with an issue assigned, which is
    listed; each kind is found on its own (``kinds_waiting``)."""
    member_id, email = cast.users["member"].id, cast.users["member"].email
    ids = {"issue": cast.issue.id, "milestone": cast.milestone.id, "venture": cast.venture.id,
           "author": cast.leads["reseller"].id}
    login(client, email)

    def home():
        db.session.expunge_all()
        with count_queries(app) as statements:
            page = client.get("/").text
        return page, len(statements)

    def kinds():
        return kinds_waiting(db.session.get(User, member_id))

    assert kinds() == set()
    quiet, quiet_count = home()
    assert "Rack does not fit" not in quiet
    db.session.get(Issue, ids["issue"]).assignee_id = member_id
    db.session.commit()
    assert kinds() == {"issue"}
    busy, busy_count = home()
    assert "Rack does not fit" in busy and busy_count == quiet_count + 1
    db.session.get(Milestone, ids["milestone"]).assignee_id = member_id
    issues.add_comment(db.session.get(User, ids["author"]),
                       db.session.get(Venture, ids["venture"]), db.session.get(Issue, ids["issue"]),
                       "@" + db.session.get(User, member_id).name + " have a look")
    db.session.commit()
    assert kinds() == {"issue", "milestone", "mention"}
