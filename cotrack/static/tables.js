// Tables marked .table-stack become one card per row on a phone (cotrack.css): each cell
// is labelled with its column's heading, copied here from the table's <thead>.
(function () {
  "use strict";
  function label(table) {
    var heads = table.querySelectorAll("thead th");
    var names = [];
    for (var i = 0; i < heads.length; i++) {
      names.push(heads[i].textContent.trim());
    }
    var rows = table.querySelectorAll("tbody tr, tfoot tr");
    for (var r = 0; r < rows.length; r++) {
      var cells = rows[r].children;
      if (cells.length !== names.length) {
        continue;  // a "nothing here" row spanning every column
      }
      for (var c = 0; c < cells.length; c++) {
        if (!cells[c].hasAttribute("data-label")) {
          cells[c].setAttribute("data-label", names[c]);
        }
      }
    }
  }
  document.addEventListener("DOMContentLoaded", function () {
    var tables = document.querySelectorAll("table.table-stack");
    for (var i = 0; i < tables.length; i++) {
      label(tables[i]);
    }
  });
})();
