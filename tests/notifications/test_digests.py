"""Digests at 08:00 in each person's zone, never holding what they may not see, silent when
there is nothing; overdue milestones told once."""

from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from cotrack import jobs
from cotrack.extensions import db
from cotrack.models import DigestRun, EmailPreference, Notification
from cotrack.services import digests

# Tuesday 3 March 2026, 23:05 UTC: 08:05 on Wednesday in Tokyo, 00:05 in Berlin
NOW = datetime(2026, 3, 3, 23, 5, tzinfo=UTC)


def _note(user, kind, text, audience="venture", venture=None, minutes=60):
    db.session.add(Notification(user_id=user.id, kind=kind, text=text, url="/notifications",
                                audience=audience, venture_id=venture.id if venture else None,
                                created_at=NOW - timedelta(minutes=minutes)))


def _run(app, now=NOW):
    with app.app_context():
        count = digests.send_digests(now)
        jobs.dispatch_ready()
    return count


def test_a_members_digest_at_eight_in_their_zone_holds_no_revenue(app, cast, smtp):
    member, lead = cast.users["member"], cast.users["lead"]
    member.time_zone, lead.time_zone = "Asia/Tokyo", "Europe/Berlin"
    _note(member, "gate_passed", "The venture moved to Feasibility.", venture=cast.venture)
    # written while the member could see revenue, say; the digest reads through the rule now
    _note(member, "revenue_recorded", "Felix recorded R-1 (EUR 99,999.00).", "revenue",
          cast.venture)
    _note(lead, "gate_passed", "The venture moved to Feasibility.", venture=cast.venture)
    db.session.commit()
    _run(app)
    assert [m["To"] for m in smtp.messages] == [member.email]  # 00:05 in Berlin: not yet
    message = smtp.messages[0]
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "The venture moved to Feasibility." in text and "Feasibility" in html
    assert "99,999" not in text and "99,999" not in html and "R-1" not in text
    assert "4 Mar 2026, 07:05 Japan Time" in text  # the time of each item in the member's zone
    assert "http://cotrack.test/notifications" in text
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    _run(app, NOW + timedelta(minutes=15))  # the next run sends no second digest
    assert len(smtp.messages) == 1
    assert db.session.scalar(sa.select(sa.func.count(DigestRun.id)).where(
        DigestRun.user_id == member.id)) == 1


def test_a_digest_says_nothing_when_there_is_nothing(app, cast, smtp):
    for user in cast.users.values():
        user.time_zone = "Asia/Tokyo"
    db.session.query(Notification).delete()
    db.session.commit()
    _run(app)
    assert smtp.messages == []


def test_a_digest_leaves_out_what_was_already_read(app, cast, smtp):
    lead = cast.users["lead"]
    lead.time_zone = "UTC"
    db.session.query(Notification).delete()
    _note(lead, "gate_passed", "Seen on the site already.", venture=cast.venture)
    _note(lead, "gate_passed", "Not seen yet.", venture=cast.venture, minutes=30)
    db.session.flush()
    db.session.scalar(sa.select(Notification).where(
        Notification.text == "Seen on the site already.")).read_at = NOW - timedelta(minutes=5)
    db.session.commit()
    _run(app, datetime(2026, 3, 4, 8, 30, tzinfo=UTC))
    assert [m["Subject"] for m in smtp.messages] == ["Your daily CoTrack digest: 1 notification"]
    text = smtp.messages[0].get_body(("plain",)).get_content()
    assert "Not seen yet." in text and "Seen on the site already." not in text


def test_weekly_kinds_wait_for_monday(app, cast, smtp):
    lead = cast.users["lead"]
    lead.time_zone = "UTC"
    db.session.add(EmailPreference(user_id=lead.id, kind="gate_passed", delivery="weekly"))
    db.session.query(Notification).delete()
    _note(lead, "gate_passed", "Moved on.", venture=cast.venture)
    db.session.commit()
    _run(app, datetime(2026, 3, 4, 8, 30, tzinfo=UTC))  # a Wednesday
    assert smtp.messages == []
    _run(app, datetime(2026, 3, 9, 8, 1, tzinfo=UTC))  # Monday
    assert [m["Subject"] for m in smtp.messages] == [
        "Your weekly CoTrack digest: 1 notification"]


def test_an_overdue_milestone_is_told_once(app, cast):
    milestone = cast.milestone
    milestone.assignee_id = cast.users["member"].id
    db.session.commit()
    later = milestone.due_date + timedelta(days=2)
    with app.app_context():
        assert digests.tell_overdue(later) == 1
        assert digests.tell_overdue(later) == 0
    (note,) = db.session.scalars(sa.select(Notification).where(
        Notification.kind == "milestone_overdue")).all()
    assert note.user_id == cast.users["member"].id
    assert "Site survey" in note.text and isinstance(milestone.due_date, date)
