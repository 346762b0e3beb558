"""Every page of the app, for the accessibility and phone-width walks.

The pages come from the app's url_map: each GET rule outside the API whose arguments can
be filled from the demo data. A rule that is neither walked nor listed in NOT_PAGES (with
the reason) fails the walk, so a new page cannot be added without being checked.
"""

from dataclasses import dataclass

from flask import Flask
from sqlalchemy import select

from cotrack.extensions import db
from cotrack.mail.unsubscribe import make_token
from cotrack.models import Issue, Job, Milestone, Organisation, RevenueEntry, User, Venture

#: GET endpoints that are not HTML pages, with why
NOT_PAGES = {
    "static": "files",
    "bootstrap.static": "files",
    "main.healthz": "JSON for the load balancer",
    "finance.export": "a CSV/XLSX download",
    "ventures.people": "JSON for the @mention suggestions",
    "finance.venture_names": "JSON for the report filters' venture search",
    "admin.eml_file": "a mail file download",
    "finance.job_progress": "JSON for the job page's progress bar",
    "finance.job_file": "an export job's file download",
    "finance.import_template": "a CSV/XLSX template download",
    "finance.download_statement": "a statement file (JSON) download",
    "finance.import_preview": "an upload's preview: it needs a file uploaded in the same "
                              "session (tests/browser/test_import_browser.py drives it)",
}

#: the accounts the pages are walked as (README's demo accounts), one per role
ROLES = {
    "admin": "admin@cotrack.example",
    "lead": "lead@northwind.example",
    "member": "member@northwind.example",
    "finance": "finance@summit.example",
}


@dataclass(frozen=True)
class Page:
    name: str
    path: str


def demo_ids() -> dict:
    """Ids from the demo data: a venture in rollout with milestones, issues and revenue,
    visible to every role walked (admin sees all; the others belong to it)."""
    venture = db.session.scalar(select(Venture).where(Venture.name == "Mobile storage array"))
    issue = db.session.scalar(select(Issue).where(Issue.venture_id == venture.id)
                              .order_by(Issue.id))
    milestone = db.session.scalar(select(Milestone).where(Milestone.venture_id == venture.id)
                                  .order_by(Milestone.id))
    user = db.session.scalar(select(User).where(User.email == ROLES["member"]))
    entry = db.session.scalar(select(RevenueEntry).where(  # one that can still be reversed
        RevenueEntry.venture_id == venture.id, RevenueEntry.reverses_id.is_(None))
        .order_by(RevenueEntry.id))
    return {
        "entry_id": entry.id,
        "job_id": _finished_job(venture).id,
        "venture_id": venture.id,
        "issue_id": issue.id,
        "milestone_id": milestone.id,
        "org_id": user.organisation_id,
        "user_id": user.id,
        "token": make_token(user.id, ["mentions"]),
    }


def _finished_job(venture: Venture) -> Job:
    """A finished export job of the demo lead (only its owner sees it; the others get 404)."""
    lead = db.session.scalar(select(User).where(User.email == ROLES["lead"]))
    job = db.session.scalar(select(Job).where(Job.user_id == lead.id))
    if job is None:
        job = Job(kind="export", user_id=lead.id, venture_id=venture.id, status="done",
                  done=1, total=1, result={"filename": "ledger.csv", "rows": 1})
        db.session.add(job)
        db.session.commit()
    return job


def all_pages(app: Flask) -> list[Page]:
    """One Page per HTML GET rule, plus variants (a pending venture's invitation, report
    filters, error pages). Raises if a rule can be neither filled nor is excused."""
    with app.app_context():
        ids = demo_ids()
        pending = db.session.scalar(select(Venture.id).where(Venture.status == "pending"))
        assert db.session.get(Organisation, ids["org_id"]) is not None
    pages: list[Page] = []
    unknown = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "GET" not in rule.methods or rule.endpoint in NOT_PAGES:
            continue
        if rule.rule.startswith("/api/"):
            continue
        missing = set(rule.arguments) - set(ids) - set(rule.defaults or {})
        if missing:
            unknown.append(f"{rule.rule} ({', '.join(sorted(missing))})")
            continue
        path = rule.build({k: ids[k] for k in rule.arguments if k in ids}, append_unknown=False)[1]
        if rule.endpoint == "admin.organisation" and "org_id" not in rule.arguments:
            name = "admin.new_organisation"
        else:
            name = rule.endpoint
        pages.append(Page(name, path))
    if unknown:
        raise AssertionError(f"pages whose arguments the walk cannot fill: {unknown}; fill "
                             "them in demo_ids() or excuse them in NOT_PAGES")
    pages += [
        Page("ventures.show (invitation)", f"/ventures/{pending}"),
        Page("finance.reports (filtered)",
             f"/reports?venture_id={ids['venture_id']}&period=quarter"),
        Page("error 404", "/no-such-page"),
    ]
    return pages
