"""The activity trail shows each row only to those who may view its subject (issue 10,
defect 3): a member never reads an amount, a share or an import total in any feed."""

import io
import re

import flask_migrate
import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory

import config
from cotrack.db.timestamps import utcnow
from cotrack.domain.permissions import can_view_activity, sql_can_view_activity
from cotrack.extensions import db
from cotrack.models import Activity
from cotrack.services import ledger
from tests.conftest import database_url, login, migrated_app

IMPORT = (b"date,amount,reference,region,note\n"
          b"2025-03-01,250.00,INV-2,North,\n2025-03-02,125.50,INV-3,South,\n")
#: what the revenue rows of the trail would show: references, agreement labels, amounts
#: (entry, allocations, reversal, import total) and shares
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT[\d:.]+(?:Z|[+-]\d\d:\d\d)?")
REVENUE_TEXT = ("INV-1", "INV-2", "Split agreement", "revenue entries", "100.00", "20.00",
                "55.00", "375.50", "25.00", "30.00", "60.00")


@pytest.fixture
def trail(cast, client, make_token):
    """The cast's venture with agreements, an entry, an import and a reversal on its trail."""
    response = client.post(
        f"/api/v1/ventures/{cast.venture.id}/revenue/import",
        data={"file": (io.BytesIO(IMPORT), "march.csv")},
        headers=make_token(cast.users["finance"]), content_type="multipart/form-data")
    assert response.status_code == 201, response.json
    ledger.reverse(cast.users["finance"], cast.venture, cast.entry, "Wrong month.")
    db.session.commit()
    rows = db.session.scalars(sa.select(Activity).where(
        Activity.venture_id == cast.venture.id)).all()
    cast.counts = {audience: sum(r.audience == audience for r in rows)
                   for audience in ("venture", "revenue")}
    assert cast.counts["revenue"] >= 8 and cast.counts["venture"] >= 5
    return cast


def _api_feed(client, trail, role, make_token) -> dict:
    response = client.get(f"/api/v1/ventures/{trail.venture.id}/activity?per_page=200",
                          headers=make_token(trail.users[role]))
    assert response.status_code == 200
    return response.json


def test_member_reads_no_revenue_row_in_the_api_feed(client, trail, make_token):
    feed = _api_feed(client, trail, "member", make_token)
    assert feed["total"] == len(feed["items"]) == trail.counts["venture"]
    for item in feed["items"]:
        assert item["object"]["type"] not in ("split_agreement", "revenue_entry")
        assert item["action"] != "imported"
    # timestamps aside (a time such as 10:41:25.004 holds "25.00")
    text = TIMESTAMP.sub("", str(feed))
    assert not [t for t in REVENUE_TEXT if t in text]
    small = client.get(f"/api/v1/ventures/{trail.venture.id}/activity?per_page=3",
                       headers=make_token(trail.users["member"])).json
    assert small["total"] == trail.counts["venture"] and len(small["items"]) == 3


def test_member_reads_no_revenue_row_on_the_activity_page_or_the_overview(client, trail):
    login(client, trail.users["member"].email)
    for url in (f"/ventures/{trail.venture.id}", f"/ventures/{trail.venture.id}/activity"):
        page = client.get(url).get_data(as_text=True)
        assert "Site survey" in page  # the venture's own rows are there
        assert not [t for t in REVENUE_TEXT if t in page], url
    page = client.get(f"/ventures/{trail.venture.id}/activity").get_data(as_text=True)
    assert f"{trail.counts['venture']} in all" in page


@pytest.mark.parametrize("role", ["lead", "finance", "admin"])
def test_leads_finance_and_admins_read_the_revenue_rows(client, trail, make_token, role):
    feed = _api_feed(client, trail, role, make_token)
    assert feed["total"] == trail.counts["venture"] + trail.counts["revenue"]
    actions = {(i["object"]["type"], i["action"]) for i in feed["items"]}
    assert {("split_agreement", "activated"), ("revenue_entry", "recorded"),
            ("revenue_entry", "reversed"), ("venture", "imported")} <= actions
    login(client, trail.users[role].email)
    page = client.get(f"/ventures/{trail.venture.id}/activity").get_data(as_text=True)
    assert f"{feed['total']} in all" in page
    assert "INV-1" in page and "Split agreement v2" in page and "2 revenue entries" in page
    assert re.search(r"2 revenue entries \(total EUR.375\.50\)", page)


def test_outsider_gets_404_for_the_feed(client, trail, make_token):
    response = client.get(f"/api/v1/ventures/{trail.venture.id}/activity",
                          headers=make_token(trail.users["outsider"]))
    assert response.status_code == 404


def test_the_sql_twin_agrees_with_the_rule_for_every_row_and_role(trail):
    rows = db.session.scalars(sa.select(Activity).where(
        Activity.venture_id == trail.venture.id).order_by(Activity.id)).all()
    seen = {}
    for role, user in trail.users.items():
        shown = set(db.session.scalars(sa.select(Activity.id).where(
            Activity.venture_id == trail.venture.id, sql_can_view_activity(user))))
        allowed = {r.id for r in rows if can_view_activity(user, r, trail.venture)}
        assert shown == allowed, role
        seen[role] = len(shown)
    assert seen == {"lead": len(rows), "finance": len(rows), "admin": len(rows),
                    "member": trail.counts["venture"], "outsider": 0}


def _revision_before(revision: str) -> str:
    return ScriptDirectory(str(config.BASE_DIR / "migrations")).get_revision(
        revision).down_revision


@pytest.mark.own_db
def test_migration_marks_existing_revenue_rows(tmp_path_factory):
    app = migrated_app(database_url(tmp_path_factory, suffix="_audience"))
    with app.app_context():
        flask_migrate.downgrade(revision=_revision_before("baf85b7fc485"))
        with db.engine.begin() as conn:
            meta = sa.MetaData()
            meta.reflect(conn, only=["organisation", "user_account", "venture", "activity"])
            t = meta.tables
            now = utcnow()
            conn.execute(t["organisation"].insert(), [{"id": 1, "name": "O", "active": True,
                                                       "created_at": now, "revision": 0}])
            conn.execute(t["user_account"].insert(), [{
                "id": 1, "email": "a@example.org", "name": "A", "password_hash": "x",
                "role": "lead", "organisation_id": 1, "active": True, "created_at": now}])
            conn.execute(t["venture"].insert(), [{
                "id": 1, "name": "V", "description": "", "currency": "EUR",
                "stage": "discovery", "status": "active", "created_by_id": 1,
                "created_at": now, "revision": 0}])
            kinds = [("venture", "created"), ("venture", "imported"), ("venture", "updated"),
                     ("split_agreement", "proposed"), ("split_agreement", "approved"),
                     ("revenue_entry", "recorded"), ("revenue_entry", "reversed"),
                     ("milestone", "updated"), ("issue", "raised"), ("gate", "approved"),
                     ("party", "accepted"), ("update", "posted")]
            conn.execute(t["activity"].insert(), [
                {"venture_id": 1, "actor_id": 1, "action": action, "object_type": kind,
                 "object_id": 1, "object_label": "", "changes": {}, "at": now}
                for kind, action in kinds])
        flask_migrate.upgrade()
        with db.engine.connect() as conn:
            audiences = dict(((k, a), audience) for k, a, audience in conn.execute(sa.text(
                "SELECT object_type, action, audience FROM activity")))
            with pytest.raises(sa.exc.DBAPIError, match="append-only"):
                conn.execute(sa.text("UPDATE activity SET audience = 'venture'"))
        db.engine.dispose()
    revenue = {("venture", "imported"), ("split_agreement", "proposed"),
               ("split_agreement", "approved"), ("revenue_entry", "recorded"),
               ("revenue_entry", "reversed")}
    assert {key for key, audience in audiences.items() if audience == "revenue"} == revenue
    assert set(audiences.values()) == {"venture", "revenue"}


def test_the_overview_reads_each_viewers_rows_in_turn(app, trail):
    """The overview's latest activity is read by a statement built once per viewer: the
    lead, the member of the same organisation, then the lead again, each read theirs."""
    overview = f"/ventures/{trail.venture.id}"
    for role, sees_revenue in (("lead", True), ("member", False), ("lead", True),
                               ("member", False)):
        client = app.test_client()
        assert login(client, trail.users[role].email).status_code == 302
        page = client.get(overview).get_data(as_text=True)
        assert ("Wrong month" in page) is sees_revenue, role  # the reversal's reason
        assert ("revenue entries" in page) is sees_revenue, role  # the import
