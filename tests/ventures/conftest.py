"""A venture with a user of every kind around it: party lead, finance, member, admin, outsider."""

from types import SimpleNamespace

import pytest

ROLES = ("lead", "finance", "member", "admin", "outsider")


@pytest.fixture
def cast(make_venture, make_user, make_org):
    ns = make_venture()
    customer = ns.orgs["customer"]
    ns.users = {
        "lead": ns.leads["customer"],
        "finance": make_user("finance", org=customer),
        "member": make_user("member", org=customer),
        "admin": make_user("admin", org=make_org()),
        "outsider": make_user("lead", org=make_org()),
    }
    return ns


def as_namespace(**kw) -> SimpleNamespace:
    return SimpleNamespace(**kw)
