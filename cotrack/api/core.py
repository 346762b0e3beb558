"""/me and /organisations."""


from cotrack.api.auth import api_user
from cotrack.api.request import json_body
from cotrack.api.serialise import page_json, user_json
from cotrack.queries.organisations import party_organisations
from cotrack.services import preferences


def me():
    return user_json(api_user())


def organisations():
    return page_json(party_organisations(), lambda o: {"id": o.id, "name": o.name})


def preferences_json(user) -> dict:
    return {"time_zone": user.time_zone, "locale": user.locale,
            "email": preferences.email_deliveries(user)}


def get_preferences():
    return preferences_json(api_user())


def put_preferences():
    user = api_user()
    data = json_body()
    preferences.update_preferences(user, user, {k: v for k, v in data.items()
                                                 if k in ("time_zone", "locale", "email")})
    return preferences_json(user)
