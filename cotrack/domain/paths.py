"""Paths of the pages notifications and mails point at, built without a request or an app
(services also run outside one: the worker, the command line, tests). A test checks each
against the app's own routes (url_for), so they cannot drift apart."""


def _anchored(path: str, anchor: str | None) -> str:
    return f"{path}#{anchor}" if anchor else path


def venture(venture_id: int, anchor: str | None = None) -> str:
    return _anchored(f"/ventures/{venture_id}", anchor)


def issue(venture_id: int, issue_id: int, anchor: str | None = None) -> str:
    return _anchored(f"/ventures/{venture_id}/issues/{issue_id}", anchor)


def milestone(venture_id: int, milestone_id: int) -> str:
    return f"/ventures/{venture_id}/milestones/{milestone_id}"


def milestones(venture_id: int, stage: str) -> str:
    return f"/ventures/{venture_id}/milestones?stage={stage}"


def issues(venture_id: int, severity: str) -> str:
    return f"/ventures/{venture_id}/issues?severity={severity}"


def updates(venture_id: int, anchor: str | None = None) -> str:
    return _anchored(f"/ventures/{venture_id}/updates", anchor)


def agreements(venture_id: int) -> str:
    return f"/ventures/{venture_id}/agreements"


def revenue(venture_id: int) -> str:
    return f"/ventures/{venture_id}/revenue"


def profile(anchor: str | None = None) -> str:
    return _anchored("/auth/profile", anchor)
