"""Demo data: organisations and accounts of DOMAIN.md's example, later their ventures."""

from cotrack.extensions import db
from cotrack.models import Organisation, User
from cotrack.passwords import hash_password

DEMO_PASSWORD = "cotrack-demo"  # noqa: S105  (documented demo password)

ORGANISATIONS = {
    "Northwind Storage": [("lead@northwind.example", "Nora Lind", "lead"),
                          ("member@northwind.example", "Mats Berg", "member")],
    "Summit Channel Partners": [("lead@summit.example", "Sam Okafor", "lead"),
                                ("finance@summit.example", "Fiona Reyes", "finance")],
    "Forge Devices": [("lead@forge.example", "Lena Forsberg", "lead"),
                      ("finance@forge.example", "Felix Braun", "finance"),
                      ("engineer@forge.example", "Eli Novak", "member")],
    "Harbor Logistics": [("lead@harbor.example", "Hana Ito", "lead")],
    "CoTrack": [("admin@cotrack.example", "Ada Admin", "admin")],
}


def seed() -> list[User]:
    users = []
    for org_name, people in ORGANISATIONS.items():
        org = Organisation(name=org_name)
        db.session.add(org)
        for email, name, role in people:
            users.append(User(email=email, name=name, role=role, organisation=org,
                              password_hash=hash_password(DEMO_PASSWORD)))
    db.session.add_all(users)
    db.session.flush()
    return users
