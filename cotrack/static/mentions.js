/* @mentions: suggestions from the venture's people as one types "@" in a text area of a
   venture page (the page's <main data-mention-source> names where the people come from).
   Arrow keys choose, Enter or Tab inserts "@Full Name ", Escape closes. No library. */
(function () {
  "use strict";
  var main = document.querySelector("main[data-mention-source]");
  if (!main) { return; }
  var people = null, box = null, active = 0, matches = [], target = null, seq = 0;

  function load() {
    if (people) { return Promise.resolve(people); }
    return fetch(main.dataset.mentionSource, {credentials: "same-origin",
                                              headers: {Accept: "application/json"}})
      .then(function (r) { return r.ok ? r.json() : {people: []}; })
      .then(function (data) { people = data.people || []; return people; })
      .catch(function () { people = []; return people; });
  }

  function query(area) {
    var before = area.value.slice(0, area.selectionStart);
    var m = /(^|[\s(])@([^\s@][^@\n]{0,40})?$/.exec(before);
    return m ? {text: (m[2] || ""), start: before.length - (m[2] || "").length - 1} : null;
  }

  function close() {
    if (box) { box.remove(); box = null; }
    if (target) { target.removeAttribute("aria-activedescendant"); target.setAttribute("aria-expanded", "false"); }
    matches = [];
  }

  function choose(i) {
    var q = query(target);
    if (!q || !matches[i]) { close(); return; }
    var insert = "@" + matches[i].name + " ";
    var v = target.value, end = target.selectionStart;
    target.value = v.slice(0, q.start) + insert + v.slice(end);
    var caret = q.start + insert.length;
    target.setSelectionRange(caret, caret);
    close();
    target.focus();
  }

  function highlight(i) {
    active = (i + matches.length) % matches.length;
    Array.prototype.forEach.call(box.children, function (li, n) {
      li.classList.toggle("active", n === active);
      li.setAttribute("aria-selected", n === active ? "true" : "false");
    });
    target.setAttribute("aria-activedescendant", box.children[active].id);
  }

  function show(area, found) {
    close();
    target = area;
    matches = found.slice(0, 8);
    if (!matches.length) { return; }
    box = document.createElement("ul");
    box.className = "list-group shadow mention-suggestions";
    box.id = "mention-list";
    box.setAttribute("role", "listbox");
    box.setAttribute("aria-label", "People to mention");
    matches.forEach(function (p, n) {
      var li = document.createElement("li");
      li.className = "list-group-item list-group-item-action py-1";
      li.id = "mention-option-" + n;
      li.setAttribute("role", "option");
      li.textContent = p.name + " · " + p.organisation;
      li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(n); });
      box.appendChild(li);
    });
    area.insertAdjacentElement("afterend", box);
    area.setAttribute("aria-controls", "mention-list");
    area.setAttribute("aria-expanded", "true");
    highlight(0);
  }

  document.addEventListener("input", function (e) {
    var area = e.target;
    if (!(area instanceof HTMLTextAreaElement) || !main.contains(area)) { return; }
    area.setAttribute("aria-autocomplete", "list");
    var q = query(area), mine = ++seq;
    if (!q) { close(); return; }
    load().then(function (list) {
      if (mine !== seq) { return; }
      var needle = q.text.toLowerCase();
      show(area, list.filter(function (p) {
        var name = p.name.toLowerCase();
        return name.indexOf(needle) === 0 || name.indexOf(" " + needle) > 0;
      }));
    });
  });

  document.addEventListener("keydown", function (e) {
    if (!box || e.target !== target) { return; }
    if (e.key === "ArrowDown") { e.preventDefault(); highlight(active + 1); }
    else if (e.key === "ArrowUp") { e.preventDefault(); highlight(active - 1); }
    else if (e.key === "Enter" || e.key === "Tab") { e.preventDefault(); choose(active); }
    else if (e.key === "Escape") { close(); }
  });

  document.addEventListener("focusout", function (e) {
    if (e.target === target) { setTimeout(close, 150); }
  });
}());
