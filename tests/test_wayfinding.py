"""Way-finding (issue 14): the front door, 403 pages that say why, tabs, skip link, h1."""

import re

from tests.conftest import login


def test_a_first_visit_lands_on_sign_in_without_a_warning(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/auth/login")
    page = client.get("/auth/login").get_data(as_text=True)
    assert "Please sign in" not in page


def test_a_deep_link_still_says_why_and_comes_back(client):
    response = client.get("/my-work")
    assert response.status_code == 302 and "next=" in response.headers["Location"]
    assert "Please sign in to see this page." in client.get(
        response.headers["Location"]).get_data(as_text=True)


def test_403_says_why_who_and_links_back_to_the_venture(client, make_venture, make_user):
    ns = make_venture()
    member = make_user("member", org=ns.orgs["customer"])
    login(client, member.email)
    response = client.get(f"/ventures/{ns.venture.id}/revenue")
    assert response.status_code == 403
    page = response.get_data(as_text=True)
    assert re.search(r"<h1[^>]*>Not allowed</h1>", page)
    assert "members see the venture&#39;s work, not its money" in page
    assert f"signed in as {member.name}, member at {ns.orgs['customer'].name}" in page
    assert f'href="/ventures/{ns.venture.id}">Back to the venture</a>' in page


def test_403_for_an_admin_in_a_venture_says_admins_do_not_act_for_a_party(
        client, make_venture, make_user):
    ns = make_venture()
    admin = make_user("admin")
    login(client, admin.email)
    response = client.get(f"/ventures/{ns.venture.id}/issues/new")
    assert response.status_code == 403
    assert "never act for a party" in response.get_data(as_text=True)


def test_404_has_one_h1(client):
    page = client.get("/no/such/page").get_data(as_text=True)
    assert len(re.findall(r"<h1\b", page)) == 1 and "Page not found" in page


def test_every_venture_page_has_the_tabs_and_a_skip_link(client, make_venture):
    ns = make_venture()
    login(client, ns.leads["customer"].email)
    vid = ns.venture.id
    for path in (f"/ventures/{vid}", f"/ventures/{vid}/activity", f"/ventures/{vid}/updates",
                 f"/ventures/{vid}/edit", f"/ventures/{vid}/milestones",
                 f"/ventures/{vid}/timeline", f"/ventures/{vid}/issues"):
        page = client.get(path).get_data(as_text=True)
        assert 'class="nav nav-tabs mb-3 venture-tabs"' in page, path
        assert page.count('aria-current="page"') == 1, path
        assert 'href="#main">Skip to main content</a>' in page and 'id="main"' in page
        assert len(re.findall(r"<h1\b", page)) == 1, path


def test_the_colour_mode_is_set_before_the_stylesheets_paint(client):
    """theme.js is a blocking script in <head>, so no page flashes light in dark mode."""
    page = client.get("/auth/login").get_data(as_text=True)
    head = page.split("</head>")[0]
    script = re.search(r'<script src="([^"]*theme\.js)"(?P<attrs>[^>]*)>', head)
    assert script and "defer" not in script["attrs"] and "async" not in script["attrs"]
    assert "data-theme-toggle" in page


def test_the_served_bootstrap_has_colour_modes(client):
    """data-bs-theme needs Bootstrap 5.3 or later, served from this site."""
    page = client.get("/auth/login").get_data(as_text=True)
    css = re.search(r'href="(/bootstrap/static/[^"]*bootstrap(?:\.min)?\.css)"', page)[1]
    with client.get(css) as response:
        version = re.search(r"Bootstrap\s+v(\d+)\.(\d+)", response.get_data(as_text=True))
    assert (int(version[1]), int(version[2])) >= (5, 3)


#: pictographs (U+1F000 and up) that a browser without an emoji font draws as empty boxes
EMOJI = re.compile(r"[\U0001F000-\U0001FFFF]|&#(1[2-9][0-9]{4});")


def test_no_page_needs_an_emoji_font(client, make_venture):
    """The bell and every other sign is drawn by the page itself: Debian's Chromium (no
    emoji font) showed the notification bell as an empty box."""
    ns = make_venture()
    login(client, ns.leads["customer"].email)
    venture = f"/ventures/{ns.venture.id}"
    for path in ("/", "/ventures/", venture, f"{venture}/issues", f"{venture}/timeline",
                 "/notifications", "/my-work"):
        page = client.get(path).get_data(as_text=True)
        assert not EMOJI.search(page), (path, EMOJI.search(page).group(0))
    assert '<svg aria-hidden="true"' in client.get("/").get_data(as_text=True)


def test_the_admin_s_home_calls_the_board_all_ventures(app, client, make_venture, make_user):
    """The admin belongs to no venture: their board shows every venture, and says so."""
    ns = make_venture()
    login(client, make_user("admin").email)
    page = client.get("/").get_data(as_text=True)
    assert re.search(r'<h2 id="board-h"[^>]*>All ventures</h2>', page) and "My ventures" not in page
    lead = app.test_client()
    login(lead, ns.leads["customer"].email)
    assert re.search(r'<h2 id="board-h"[^>]*>My ventures</h2>', lead.get("/").text)
