"""Every commit bumps the revisions of what it changed (cotrack.revisions), and only on commit."""

from datetime import date

from sqlalchemy import insert, select

from cotrack.extensions import db
from cotrack.models import Milestone, Organisation, SiteRevision, Venture
from cotrack.revisions import for_venture
from cotrack.services import milestones


def revisions(*ventures) -> dict:
    db.session.expire_all()
    orgs = {org.id for ns in ventures for org in ns.orgs.values()}
    return {
        "site": db.session.scalar(select(SiteRevision.revision)),
        "ventures": {v.venture.id: db.session.get(Venture, v.venture.id).revision
                     for v in ventures},
        "orgs": {o: db.session.get(Organisation, o).revision for o in sorted(orgs)},
    }


def _milestone_row(ns) -> dict:
    return {"venture_id": ns.venture.id, "title": "Bulk", "description": "",
            "stage": "feasibility", "party": "customer", "due_date": date(2030, 1, 31),
            "status": "planned", "version": 1}


def test_a_change_inside_a_venture_bumps_it_and_its_parties_only(make_venture):
    one, other = make_venture(), make_venture()
    before = revisions(one, other)
    milestones.create_milestone(one.leads["customer"], one.venture, {
        "title": "Survey", "stage": "feasibility", "party": "customer",
        "due_date": "2030-01-31"})
    db.session.commit()
    after = revisions(one, other)
    assert after["site"] == before["site"]
    assert after["ventures"][one.venture.id] > before["ventures"][one.venture.id]
    assert after["ventures"][other.venture.id] == before["ventures"][other.venture.id]
    for role, org in one.orgs.items():
        assert after["orgs"][org.id] > before["orgs"][org.id], role
    for org in other.orgs.values():
        assert after["orgs"][org.id] == before["orgs"][org.id]


def test_a_core_write_that_names_its_venture_bumps_that_venture(make_venture):
    ns = make_venture()
    before = revisions(ns)
    db.session.execute(for_venture(insert(Milestone), ns.venture.id), [_milestone_row(ns)])
    db.session.commit()
    after = revisions(ns)
    assert after["site"] == before["site"]
    assert after["ventures"][ns.venture.id] > before["ventures"][ns.venture.id]


def test_a_write_that_does_not_say_what_it_touches_bumps_the_site(make_venture):
    ns = make_venture()
    before = revisions(ns)
    db.session.execute(insert(Milestone), [_milestone_row(ns)])
    db.session.commit()
    assert revisions(ns)["site"] > before["site"]


def test_renaming_an_organisation_bumps_the_site(make_venture):
    ns = make_venture()
    before = revisions(ns)
    ns.orgs["reseller"].name = "Renamed reseller"
    db.session.commit()
    assert revisions(ns)["site"] > before["site"]


def test_nothing_moves_without_a_commit(make_venture):
    ns = make_venture()
    before = revisions(ns)
    milestones.create_milestone(ns.leads["customer"], ns.venture, {
        "title": "Survey", "stage": "feasibility", "party": "customer",
        "due_date": "2030-01-31"})
    db.session.flush()
    db.session.rollback()
    assert revisions(ns) == before
