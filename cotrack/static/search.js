// "/" focuses the search box in the navbar, unless one is typing somewhere already.
document.addEventListener("keydown", function (event) {
  if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
  var target = event.target;
  var tag = target && target.tagName;
  if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable)) return;
  var box = document.getElementById("nav-search");
  if (!box) return;
  event.preventDefault();
  var toggler = document.querySelector(".navbar-toggler");
  var menu = document.getElementById("nav");
  if (menu && toggler && !menu.classList.contains("show") && getComputedStyle(toggler).display !== "none") {
    toggler.click();  // on a phone the box sits in the folded menu
  }
  box.focus();
  box.select();
});
