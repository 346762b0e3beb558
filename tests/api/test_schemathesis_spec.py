"""What schemathesis checks, pinned as plain tests: the answers the OpenAPI description
promises where the server once differed."""

from cotrack.extensions import db
from cotrack.models import Milestone
from cotrack.services import milestones


def test_delete_answers_204_with_no_body_and_no_content_type(client, make_venture, make_token):
    ns = make_venture()
    lead = ns.leads["customer"]
    milestone = milestones.create_milestone(lead, ns.venture, {
        "title": "Site survey", "stage": "discovery", "party": "customer",
        "due_date": "2026-12-31"})
    db.session.commit()
    response = client.delete(f"/api/v1/milestones/{milestone.id}", headers=make_token(lead))
    assert response.status_code == 204
    assert response.get_data() == b""
    assert "Content-Type" not in response.headers
    assert db.session.get(Milestone, milestone.id) is None


def test_the_description_promises_no_content_for_the_delete(client):
    document = client.get("/api/openapi.json").json
    answer = document["paths"]["/milestones/{milestone_id}"]["delete"]["responses"]["204"]
    assert "content" not in answer
