"""The <option> lists the report filters and the venture list render in Python
(cotrack/web/html.py): every value and label escaped as a template would, the chosen one
selected, whatever the labels hold."""

from cotrack.web.html import options


def test_labels_and_values_are_escaped_and_the_chosen_one_selected():
    html = str(options([(1, "Acme <b>&</b> \"Co\" 'Ltd'"), (2, "Beta"), ("x&y", "Gamma")],
                       selected=2))
    assert html == (
        '<option value="1">Acme &lt;b&gt;&amp;&lt;/b&gt; &#34;Co&#34; &#39;Ltd&#39;</option>'
        '<option value="2" selected>Beta</option>'
        '<option value="x&amp;y">Gamma</option>')


def test_a_value_with_markup_is_still_selected_when_chosen():
    html = str(options([("x&y", "Gamma"), ("z", "Zeta")], selected="x&y"))
    assert '<option value="x&amp;y" selected>Gamma</option>' in html
    assert "Zeta</option>" in html and html.count("selected") == 1


def test_no_pairs_no_options():
    assert str(options([])) == "" and str(options(iter([]), selected=3)) == ""


def test_a_label_holding_the_join_character_is_escaped_all_the_same():
    html = str(options([(1, "a\0<b>"), (2, "c&d")]))
    assert html == '<option value="1">a\0&lt;b&gt;</option><option value="2">c&amp;d</option>'
