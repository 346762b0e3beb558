"""The venture list: each venture with its parties, and the partner filter."""

import re

from cotrack.extensions import db
from tests.conftest import login


def test_partner_filter_offers_the_partners_and_lists_their_ventures_only(
        client, make_venture, make_org, make_user):
    first = make_venture(name="Shared")
    lead = first.leads["customer"]
    partner = first.orgs["reseller"]
    partner.name = 'Rack & "Co"'
    other = make_venture(name="Not shared")
    # the lead's organisation is the customer of the second venture too
    other.venture.parties[0].organisation_id = lead.organisation_id
    other.venture.parties[0].organisation = lead.organisation
    db.session.commit()
    login(client, lead.email)
    html = client.get("/ventures/").get_data(as_text=True)
    assert f'<option value="{partner.id}">Rack &amp; &#34;Co&#34;</option>' in html
    assert "Shared" in html and "Not shared" in html
    assert "reseller:</span> Rack &amp; &#34;Co&#34;" in html
    chosen = client.get(f"/ventures/?partner={partner.id}").get_data(as_text=True)
    assert f'<option value="{partner.id}" selected>' in chosen
    assert ">Shared</a>" in chosen and "Not shared" not in chosen


def test_home_board_shows_twelve_cards_a_stage_with_the_stage_count(client, make_org,
                                                                     make_user):
    from cotrack.services import ventures

    mine = make_org()
    lead = make_user("lead", org=mine)
    for i in range(14):
        a, b = make_org(), make_org()
        venture = ventures.create_venture(
            lead, name=f"Board {i:02}", description="", currency="EUR",
            parties={"customer": mine.id, "reseller": a.id, "manufacturer": b.id})
        ventures.accept(make_user("lead", org=a), venture)
        ventures.accept(make_user("lead", org=b), venture)
    db.session.commit()
    login(client, lead.email)
    html = client.get("/").get_data(as_text=True)
    column = html.split('data-stage="discovery"')[1].split('class="board-column"')[0]
    cards = re.findall(r'<div class="fw-semibold">(Board \d\d)</div>', column)
    assert cards == [f"Board {i:02}" for i in range(12)]  # the first twelve by name
    assert '<span class="badge text-bg-light">14</span>' in column
    assert "all 14 in discovery" in column


def test_home_board_shows_open_ventures_only(client, make_venture):
    """Active and pending ventures are on the board; shelved, declined and closed ones are
    not (the board's filter is written into its SQL for the partial index of open ones)."""
    shown = {"Still pending": ("pending", "discovery"), "Running": ("active", "rollout")}
    hidden = {"Put on the shelf": ("shelved", "development"),
              "Turned down": ("declined", "discovery"), "Finished": ("closed", "closed"),
              "Closed, marked active": ("active", "closed")}
    first = make_venture(name="Running")
    lead, org = first.leads["customer"], first.orgs["customer"]
    for name, (status, stage) in {**shown, **hidden}.items():
        venture = first.venture if name == "Running" else make_venture(name=name).venture
        venture.status, venture.stage = status, stage
        customer = next(p for p in venture.parties if p.role == "customer")
        customer.organisation = org
    db.session.commit()
    login(client, lead.email)
    board = client.get("/").get_data(as_text=True).split('data-stage="discovery"', 1)[1]
    cards = set(re.findall(r'<div class="fw-semibold">([^<]+)</div>', board))
    assert cards == set(shown)


def test_home_board_and_the_list_show_each_venture_s_latest_health(client, make_venture):
    from cotrack.services.updates import post_update

    updated, quiet = make_venture(name="Updated twice"), make_venture(name="Never updated")
    lead = updated.leads["customer"]
    next(p for p in quiet.venture.parties if p.role == "customer").organisation = \
        updated.orgs["customer"]
    post_update(lead, updated.venture, health="green", summary="Going well")
    post_update(lead, updated.venture, health="red", summary="Blocked on parts")
    db.session.commit()
    login(client, lead.email)
    board = client.get("/").get_data(as_text=True).split('data-stage="discovery"', 1)[1]
    cards = dict(re.findall(r'<div class="fw-semibold">([^<]+)</div>\s*'
                            r'<div class="d-flex gap-1 mt-1"><span class="badge ([^"]+)"', board))
    assert cards == {"Updated twice": "health-red", "Never updated": "text-bg-light border"}
    listed = client.get("/ventures/").get_data(as_text=True)
    rows = dict(re.findall(r'>([^<]+)</a></td>.*?<td><span class="badge (health-\w+|text-bg-light '
                           r'border)"', listed, re.S))
    assert rows == {"Updated twice": "health-red", "Never updated": "text-bg-light border"}


def test_list_filters_each_answer_with_their_own_values_and_count(client, make_venture):
    """Search by name part (``%`` and ``_`` as typed), stage and status, each alone and
    one after another (the statements are built once per viewer and filters): each shows
    its ventures and says how many; the unfiltered list counts all the lead's ventures."""
    first = make_venture(name="Cold room 50% off")
    lead = first.leads["customer"]
    names = ["Cold store", "Solar_roof", "Solar roof"]
    for name in names:  # the lead's organisation a party of each
        ns = make_venture(name=name)
        ns.venture.parties[0].organisation_id = lead.organisation_id
    db.session.commit()
    login(client, lead.email)

    def listed(query=""):
        page = client.get(f"/ventures/{query}").text
        names = sorted(re.findall(r'<td class="stack-head"><a href="/ventures/\d+">([^<]+)</a>',
                                  page))
        assert not names or f">{len(names)} in all<" in page, query
        return names, page

    everything, page = listed()
    assert everything == sorted(["Cold room 50% off", *names])
    for query, expected in [("?q=cold", ["Cold room 50% off", "Cold store"]),
                            ("?q=50%25", ["Cold room 50% off"]), ("?q=%25", ["Cold room 50% off"]),
                            ("?q=r_r", ["Solar_roof"]), ("?q=r_", ["Solar_roof"]),
                            ("?q=solar", ["Solar roof", "Solar_roof"]),
                            ("?q=+solar+", ["Solar roof", "Solar_roof"]),
                            ("?stage=feasibility", []), ("?stage=discovery", everything),
                            ("?q=cold", ["Cold room 50% off", "Cold store"])]:
        assert listed(query)[0] == expected, query


def test_searches_keep_no_statement_each(client, make_venture):
    """Only the unfiltered list's statement is kept per viewer: searching for any number of
    texts keeps none more, so nobody can push others' statements out of those kept."""
    from cotrack.db import prebuilt

    lead = make_venture(name="Kept").leads["customer"]
    login(client, lead.email)
    client.get("/ventures/")
    kept = len(prebuilt._built)
    for i in range(20):
        assert client.get(f"/ventures/?q=zz{i}&stage=discovery&status=x{i}").status_code == 200
    assert len(prebuilt._built) == kept
    assert ">Kept</a>" in client.get("/ventures/").text


def test_the_pager_links_every_page_keeping_the_filters(client, make_venture):
    first = make_venture(name="Paged 1")
    lead, org = first.leads["customer"], first.orgs["customer"]
    for i in range(2, 8):
        venture = make_venture(name=f"Paged {i}").venture
        next(p for p in venture.parties if p.role == "customer").organisation = org
    db.session.commit()
    login(client, lead.email)
    html = client.get("/ventures/?q=Paged&per_page=2&page=2").get_data(as_text=True)
    pager = html.split('<ul class="pagination">', 1)[1].split("</ul>", 1)[0]
    links = re.findall(r'<a class="page-link" href="([^"]+)">([^<]+)</a>', pager)
    assert [text for _, text in links] == ["&laquo;", "1", "2", "3", "4", "&raquo;"]
    assert '<li class="page-item active" aria-current="page"><a class="page-link" href="#">2' \
        in pager
    for href, text in links:
        if text != "2":
            assert "q=Paged" in href and "per_page=2" in href
    following = dict((text, href) for href, text in links)["&raquo;"].replace("&amp;", "&")
    third = client.get(following).get_data(as_text=True)
    assert ">Paged 5</a>" in third and ">Paged 6</a>" in third and ">Paged 4</a>" not in third
    assert "page 3 of 4" in third
