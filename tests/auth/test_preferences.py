"""Each person chooses their time zone and locale (DOMAIN.md "People's time and numbers"),
on the profile page and through /api/v1/me/preferences; only real zones and locales."""

from cotrack.extensions import db
from cotrack.models import User
from tests.conftest import TEST_PASSWORD, login, post_form


def _stored(user_id):
    db.session.expire_all()
    user = db.session.get(User, user_id)
    return user.time_zone, user.locale


def test_a_new_user_is_in_utc_with_the_browsers_locale_offered(client, make_user):
    user = make_user()
    assert _stored(user.id) == ("UTC", None)
    login(client, user.email)
    page = client.get("/auth/profile", headers={"Accept-Language": "de-DE,de;q=0.9"}).text
    assert '<option selected value="de_DE">' in page or 'value="de_DE" selected' in page


def test_the_profile_saves_time_zone_and_locale(client, make_user):
    user = make_user()
    login(client, user.email)
    response = post_form(client, "/auth/profile/preferences",
                         {"time_zone": "Europe/Berlin", "locale": "de_DE"}, "/auth/profile")
    assert response.status_code == 302
    assert _stored(user.id) == ("Europe/Berlin", "de_DE")


def test_the_profile_refuses_an_unknown_zone_beside_the_field(client, make_user):
    user = make_user()
    login(client, user.email)
    response = post_form(client, "/auth/profile/preferences",
                         {"time_zone": "Mars/Olympus", "locale": "de_DE"}, "/auth/profile")
    assert response.status_code == 422
    assert "Not a valid choice" in response.text
    assert _stored(user.id) == ("UTC", None)


def test_the_api_reads_and_sets_preferences(client, make_user, make_token):
    user = make_user("member")
    headers = make_token(user)
    got = client.get("/api/v1/me/preferences", headers=headers).json
    assert {k: got[k] for k in ("time_zone", "locale")} == {"time_zone": "UTC", "locale": None}
    changed = client.put("/api/v1/me/preferences", headers=headers,
                         json={"time_zone": "America/New_York"})
    assert changed.status_code == 200
    assert {k: changed.json[k] for k in ("time_zone", "locale")} == {
        "time_zone": "America/New_York", "locale": None}
    refused = client.put("/api/v1/me/preferences", headers=headers,
                         json={"time_zone": "Europe/Berlin", "locale": "xx_YY"})
    assert refused.status_code == 422 and "locale" in refused.json["error"]["fields"]
    assert _stored(user.id) == ("America/New_York", None)  # nothing of a refused request


def test_email_choices_per_kind_with_the_defaults_of_the_issue(client, make_user, make_token):
    user = make_user("lead")
    headers = make_token(user)
    email = client.get("/api/v1/me/preferences", headers=headers).json["email"]
    assert email["gate_requested"] == email["mentioned"] == email["assigned"] == "immediate"
    assert email["gate_passed"] == email["update_posted"] == "daily"
    changed = client.put("/api/v1/me/preferences", headers=headers,
                         json={"email": {"gate_passed": "weekly", "mentioned": "off"}})
    assert changed.status_code == 200
    assert changed.json["email"]["gate_passed"] == "weekly"
    assert changed.json["email"]["mentioned"] == "off"
    for bad in ({"email": {"gate_passed": "hourly"}}, {"email": {"no_such_kind": "off"}},
                {"email": "off"}):
        refused = client.put("/api/v1/me/preferences", headers=headers, json=bad)
        assert refused.status_code == 422, bad
        assert any(f.startswith("email") for f in refused.json["error"]["fields"])
    again = client.get("/api/v1/me/preferences", headers=headers).json["email"]
    assert again["gate_passed"] == "weekly"  # nothing of a refused request


def test_the_profile_saves_mail_choices(client, make_user):
    from cotrack.domain.notifications import KINDS

    user = make_user("lead")
    login(client, user.email)
    choices = {kind: "daily" for kind in KINDS} | {"mentioned": "weekly"}
    response = post_form(client, "/auth/profile/email", choices, "/auth/profile")
    assert response.status_code == 302
    page = client.get("/auth/profile").text
    assert 'id="mentioned"' in page
    refused = post_form(client, "/auth/profile/email", choices | {"mentioned": "sometimes"},
                        "/auth/profile")
    assert refused.status_code == 422 and "Not a valid choice" in refused.text


def test_a_member_is_offered_only_the_mail_a_member_can_receive(client, make_user):
    member = make_user("member")
    login(client, member.email)
    page = client.get("/auth/profile").text
    assert 'id="mentioned"' in page and 'id="assigned"' in page
    for never in ("gate_requested", "agreement_proposed", "revenue_recorded", "invited"):
        assert f'id="{never}"' not in page, never
    from cotrack.domain.notifications import kinds_for

    offered = dict.fromkeys(kinds_for("member"), "daily") | {"mentioned": "weekly"}
    saved = post_form(client, "/auth/profile/email", offered, "/auth/profile")
    assert saved.status_code == 302
    import re

    mentioned = re.search(r'id="mentioned".*?</select>', client.get("/auth/profile").text, re.S)
    assert 'selected value="weekly"' in mentioned.group()


def test_the_first_sign_in_takes_the_browsers_zone_later_ones_do_not(client, make_user):
    user = make_user()
    from tests.conftest import csrf_token

    def sign_in(zone):
        client.post("/auth/login", data={"email": user.email, "password": TEST_PASSWORD,
                                         "time_zone": zone, "csrf_token": csrf_token(client)})
        client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/")})

    sign_in("Mars/Olympus")  # not a zone: stays UTC, but the first sign-in is over
    assert _stored(user.id)[0] == "UTC"
    other = make_user()
    user = other
    sign_in("Asia/Tokyo")
    assert _stored(other.id)[0] == "Asia/Tokyo"
    sign_in("Europe/Berlin")  # a later sign-in from elsewhere changes nothing
    assert _stored(other.id)[0] == "Asia/Tokyo"
