// Colour mode (Bootstrap 5.3's data-bs-theme), set before the page is painted: the
// person's choice from the toggle if they made one, otherwise the system's
// prefers-color-scheme, followed live when the system changes.
(function () {
  "use strict";
  var KEY = "cotrack-theme";
  var system = window.matchMedia("(prefers-color-scheme: dark)");

  function chosen() {
    try {
      var value = localStorage.getItem(KEY);
      return value === "light" || value === "dark" ? value : null;
    } catch (e) {
      return null;
    }
  }

  function systemMode() {
    return system.matches ? "dark" : "light";
  }

  function showToggles(mode) {
    var toggles = document.querySelectorAll("[data-theme-toggle]");
    for (var i = 0; i < toggles.length; i++) {
      toggles[i].setAttribute("aria-pressed", mode === "dark" ? "true" : "false");
      toggles[i].title = mode === "dark" ? "Dark mode is on" : "Dark mode is off";
    }
  }

  function apply() {
    var mode = chosen() || systemMode();
    document.documentElement.setAttribute("data-bs-theme", mode);
    showToggles(mode);
  }

  // Clicking shows the other mode; choosing what the system asks for anyway forgets the
  // choice, so the page follows the system again.
  function toggle() {
    var next = document.documentElement.getAttribute("data-bs-theme") === "dark" ? "light" : "dark";
    try {
      if (next === systemMode()) {
        localStorage.removeItem(KEY);
      } else {
        localStorage.setItem(KEY, next);
      }
    } catch (e) { /* private mode: the choice lasts for this page only */ }
    document.documentElement.setAttribute("data-bs-theme", next);
    showToggles(next);
  }

  apply();
  system.addEventListener("change", apply);
  document.addEventListener("DOMContentLoaded", function () {
    showToggles(document.documentElement.getAttribute("data-bs-theme"));
    var toggles = document.querySelectorAll("[data-theme-toggle]");
    for (var i = 0; i < toggles.length; i++) {
      toggles[i].addEventListener("click", toggle);
    }
  });
})();
