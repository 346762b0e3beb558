"""The demo data keeps the rules it shows: everyone assigned work belongs to the venture."""

from sqlalchemy import select

from cotrack.demo.seed import seed
from cotrack.domain.permissions import belongs
from cotrack.extensions import db
from cotrack.models import Issue, Milestone, Venture


def test_every_assignee_in_the_demo_belongs_to_the_venture():
    seed()
    db.session.flush()
    for model in (Milestone, Issue):
        for item in db.session.scalars(select(model).where(model.assignee_id.is_not(None))):
            venture = db.session.get(Venture, item.venture_id)
            assert belongs(item.assignee, venture), (model.__name__, item.title, venture.name)
