/* trustaudit report: progressive enhancement only. The findings table is complete without this
   script; here it gains a status/category filter and a search box. Reads data from the DOM
   (data-status, data-category, text); never writes HTML. */
(function () {
  "use strict";

  function init() {
    var table = document.getElementById("findings");
    var controls = document.getElementById("filters");
    if (!table || !controls) {
      return;
    }
    var status = document.getElementById("filter-status");
    var category = document.getElementById("filter-category");
    var search = document.getElementById("search");
    var count = document.getElementById("filter-count");
    var empty = document.getElementById("filter-empty");
    var rows = Array.prototype.slice.call(table.querySelectorAll("tr.finding"));
    var texts = rows.map(function (row) {
      return (row.textContent || "").toLowerCase();
    });

    function apply() {
      var wantStatus = status ? status.value : "";
      var wantCategory = category ? category.value : "";
      var query = search ? search.value.trim().toLowerCase() : "";
      var shown = 0;
      rows.forEach(function (row, i) {
        var ok = (!wantStatus || row.getAttribute("data-status") === wantStatus) &&
          (!wantCategory || row.getAttribute("data-category") === wantCategory) &&
          (!query || texts[i].indexOf(query) !== -1);
        row.hidden = !ok;
        if (ok) {
          shown += 1;
        }
      });
      if (count) {
        count.textContent = shown === rows.length
          ? "Showing all " + rows.length + " checks"
          : "Showing " + shown + " of " + rows.length + " checks";
      }
      if (empty) {
        empty.hidden = shown !== 0 || rows.length === 0;
      }
    }

    [status, category].forEach(function (el) {
      if (el) {
        el.addEventListener("change", apply);
      }
    });
    if (search) {
      search.addEventListener("input", apply);
    }
    controls.hidden = false;
    apply();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
