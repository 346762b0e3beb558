"""Plain words (issue 14, point 3): one sentence builder for the trail, the inbox and mails."""

from cotrack.domain.sentences import Words, sentence


def test_a_reversal_reads_as_a_sentence_with_money_in_its_currency():
    text = sentence("reversed", "revenue_entry", "INV-1001",
                    {"amount": "12500.00", "reversal_id": 44, "reason": "duplicate posting"},
                    "Fiona Reyes", Words("en_GB", "EUR"))
    assert text == "Fiona Reyes reversed INV-1001 (EUR\u00a012,500.00): duplicate posting."


def test_money_follows_the_readers_locale_and_the_currencys_digits():
    de = sentence("recorded", "revenue_entry", "R-7", {"amount": "1234.50", "date": "2026-03-01"},
                  "Felix Braun", Words("de_DE", "EUR"))
    assert de == "Felix Braun recorded R-7 (EUR\u00a01.234,50), dated 01.03.2026."
    jp = sentence("recorded", "revenue_entry", "R-8", {"amount": "1500"}, "A",
                  Words("en_GB", "JPY"))
    assert "JPY\u00a01,500)" in jp


def test_field_labels_and_names_replace_columns_and_ids():
    text = sentence("updated", "milestone", "Prototype build",
                    {"due_date": ["2026-03-01", "2026-03-08"], "status": ["planned", "in_progress"],
                     "assignee": ["Ada Member", "Ben Member"]},
                    "Nora Lind", Words("en_GB", "EUR"))
    assert text == ("Nora Lind changed the milestone “Prototype build”: due date 1 Mar 2026 → "
                    "8 Mar 2026; status planned → in progress; assignee Ada Member → Ben Member.")
    assert "due_date" not in text and "in_progress" not in text


def test_stage_changes_and_agreements_say_what_happened():
    moved = sentence("stage changed", "venture", "Edge", {"stage": ["field_trial", "rollout"]},
                     "Hana Ito", Words())
    assert moved == "The venture moved from Field trial to Rollout with Hana Ito's approval."
    proposed = sentence("proposed", "split_agreement", "Split agreement v2",
                        {"effective_from": "2026-01-01", "customer": "30.00",
                         "reseller": "30.00", "manufacturer": "40.00"}, "Sam Okafor", Words())
    assert proposed == ("Sam Okafor proposed Split agreement v2: customer 30.00 %, reseller "
                        "30.00 %, manufacturer 40.00 %, effective from 1 Jan 2026.")
    assert "split_agreement" not in proposed


def test_a_comment_that_ends_a_sentence_is_not_given_a_second_full_stop():
    text = sentence("approved", "split_agreement", "Split agreement v1",
                    {"party": "reseller", "comment": "Fine for us."}, "Fiona Reyes", Words())
    assert text == "Fiona Reyes approved Split agreement v1 for the reseller: Fine for us."
    moved = sentence("stage changed", "venture", "X", {"stage": ["rollout", "closed"]},
                     "Lena Forsberg", Words())
    assert moved.endswith("with Lena Forsberg's approval.")


def test_a_new_ventures_parties_are_named_without_a_percent_sign():
    text = sentence("created", "venture", "Edge", {"currency": "EUR", "customer": "Northwind",
                                                   "reseller": "Summit 2",
                                                   "manufacturer": "Forge"},
                    "Nora Lind", Words())
    assert "Northwind" in text and "Summit 2" in text
    assert "%" not in text
