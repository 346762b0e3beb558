"""Factory fixtures: each returns a callable that makes one object with sensible defaults."""

import itertools

import pytest

from cotrack.extensions import db
from cotrack.models import Organisation, User
from cotrack.services.api_tokens import create_token

_seq = itertools.count(1)


@pytest.fixture
def make_org():
    def make(name: str | None = None, **fields) -> Organisation:
        org = Organisation(name=name or f"Org {next(_seq)}", **fields)
        db.session.add(org)
        db.session.commit()
        return org

    return make


@pytest.fixture
def make_user(make_org, password_hash):
    def make(role: str = "lead", org: Organisation | None = None, email: str | None = None,
             **fields) -> User:
        n = next(_seq)
        user = User(
            email=email or f"{role}{n}@example.org",
            name=fields.pop("name", f"{role.capitalize()} {n}"),
            role=role,
            organisation=org or make_org(),
            password_hash=fields.pop("password_hash", password_hash),
            **fields,
        )
        db.session.add(user)
        db.session.commit()
        return user

    return make


@pytest.fixture
def make_token():
    def make(user: User) -> dict:
        _, raw = create_token(user, "test")
        db.session.commit()
        return {"Authorization": f"Bearer {raw}"}

    return make
