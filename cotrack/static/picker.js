// The report filters' venture picker (cotrack/finance/picker.py): typing into its search
// box lists the viewer's ventures whose name contains what was typed, from
// /reports/ventures?venture_q=, in the list beside it; the chosen venture stays listed.
(function () {
  var box = document.querySelector("input[data-picker-url]");
  if (!box) return;
  var list = document.getElementById(box.getAttribute("data-picker-for"));
  var note = document.getElementById(box.getAttribute("aria-describedby"));
  var timer = null;
  var asked = 0;

  function option(value, text, selected) {
    var o = document.createElement("option");
    o.value = value;
    o.textContent = text;
    o.selected = selected;
    return o;
  }

  function show(ventures, more, q) {
    var chosen = list.value;
    var kept = chosen ? list.querySelector('option[value="' + CSS.escape(chosen) + '"]') : null;
    var keptText = kept ? kept.textContent : null;
    list.replaceChildren(option("", "All", !chosen));
    var listed = {};
    ventures.forEach(function (v) {
      listed[String(v.id)] = true;
      list.appendChild(option(v.id, v.name, String(v.id) === chosen));
    });
    if (chosen && !listed[chosen] && keptText !== null) {
      list.insertBefore(option(chosen, keptText, true), list.children[1]);
    }
    var n = ventures.length;
    if (!q) note.textContent = "Your first " + n + " venture" + (n === 1 ? "" : "s") +
      " by name; type part of a name to find any other.";
    else if (!n) note.textContent = "No venture of yours is named like \u201c" + q + "\u201d.";
    else note.textContent = (more ? "The first " : "") + n + " venture" + (n === 1 ? "" : "s") +
      " like \u201c" + q + "\u201d. Choose one in the list.";
  }

  function search() {
    var q = box.value.trim();
    var mine = ++asked;
    fetch(box.getAttribute("data-picker-url") + "?venture_q=" + encodeURIComponent(q),
          {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (data) { if (mine === asked) show(data.ventures, data.more, q); })
      .catch(function () { if (mine === asked) note.textContent = "The search did not answer; press Show to search."; });
  }

  box.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(search, 200);
  });
  box.addEventListener("keydown", function (event) {
    if (event.key === "Enter") { clearTimeout(timer); }  // Enter sends the filters, the search with them
  });
  // typed into before this script ran (a slow page): search for it now
  if (box.value !== box.defaultValue) search();
})();
