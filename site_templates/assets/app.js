/* trustaudit report: progressive enhancement only. Every page is complete without this script;
   here the checks tables gain filters and a search box, the pages index a search over all pages
   (from pages/search-data.js, inert JSON), and pages with collapsible parts an expand/collapse
   button. Reads data from the DOM and the data file; builds elements with textContent and
   setAttribute only, never parses HTML. */
(function () {
  "use strict";

  function byId(id) {
    return document.getElementById(id);
  }

  function initFindings() {
    var table = byId("findings");
    var controls = byId("filters");
    if (!table || !controls) {
      return;
    }
    var selects = [
      ["status", byId("filter-status")],
      ["severity", byId("filter-severity")],
      ["category", byId("filter-category")]
    ].filter(function (pair) {
      return pair[1];
    });
    var search = byId("search");
    var count = byId("filter-count");
    var empty = byId("filter-empty");
    var rows = Array.prototype.slice.call(table.querySelectorAll("tr.finding"));
    var texts = rows.map(function (row) {
      return (row.textContent || "").toLowerCase();
    });

    function apply() {
      var query = search ? search.value.trim().toLowerCase() : "";
      var shown = 0;
      rows.forEach(function (row, i) {
        var ok = selects.every(function (pair) {
          return !pair[1].value || row.getAttribute("data-" + pair[0]) === pair[1].value;
        }) && (!query || texts[i].indexOf(query) !== -1);
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

    selects.forEach(function (pair) {
      pair[1].addEventListener("change", apply);
    });
    if (search) {
      search.addEventListener("input", apply);
    }
    controls.hidden = false;
    apply();
  }

  var MAX_RESULTS = 100;

  function initPageSearch() {
    var controls = byId("page-search");
    var input = byId("page-query");
    var results = byId("page-results");
    var listing = byId("page-listing");
    var count = byId("page-count");
    var data = window.trustauditPages;
    if (!controls || !input || !results || !Array.isArray(data)) {
      return;
    }
    var haystack = data.map(function (p) {
      return (String(p.u) + " " + String(p.t)).toLowerCase();
    });

    function apply() {
      var query = input.value.trim().toLowerCase();
      while (results.firstChild) {
        results.removeChild(results.firstChild);
      }
      if (!query) {
        results.hidden = true;
        if (listing) {
          listing.hidden = false;
        }
        count.textContent = "";
        return;
      }
      var matches = 0;
      for (var i = 0; i < data.length; i += 1) {
        if (haystack[i].indexOf(query) === -1) {
          continue;
        }
        matches += 1;
        if (matches > MAX_RESULTS) {
          continue;
        }
        var item = document.createElement("li");
        var link = document.createElement("a");
        // Only file names this report generated (hex digests) become links.
        if (/^[0-9a-f]{12,64}\.html$/.test(String(data[i].h))) {
          link.setAttribute("href", String(data[i].h));
        }
        link.textContent = String(data[i].u);
        item.appendChild(link);
        var meta = document.createElement("span");
        meta.className = "muted";
        meta.textContent = " " + (data[i].s ? String(data[i].s) : "—") +
          (data[i].t ? " · " + String(data[i].t) : "");
        item.appendChild(meta);
        results.appendChild(item);
      }
      results.hidden = false;
      if (listing) {
        listing.hidden = true;
      }
      count.textContent = matches === 0
        ? "No page matches"
        : matches > MAX_RESULTS
          ? "Showing the first " + MAX_RESULTS + " of " + matches + " matching pages"
          : matches + " matching page" + (matches === 1 ? "" : "s");
    }

    input.addEventListener("input", apply);
    controls.hidden = false;
    apply();
  }

  function initExpand() {
    var main = byId("main");
    if (!main) {
      return;
    }
    var details = Array.prototype.slice.call(main.querySelectorAll("details"));
    if (details.length < 2) {
      return;
    }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "expand-all";
    function label() {
      var allOpen = details.every(function (d) {
        return d.open;
      });
      button.textContent = allOpen ? "Collapse all" : "Expand all";
      button.setAttribute("aria-pressed", allOpen ? "true" : "false");
      return allOpen;
    }
    button.addEventListener("click", function () {
      var open = !label();
      details.forEach(function (d) {
        d.open = open;
      });
      label();
    });
    details.forEach(function (d) {
      d.addEventListener("toggle", label);
    });
    label();
    var heading = main.querySelector("h1");
    if (heading && heading.parentNode) {
      heading.parentNode.insertBefore(button, heading.nextSibling);
    }
  }

  function openForPrint() {
    // A printed report shows everything: open every collapsed part before printing.
    window.addEventListener("beforeprint", function () {
      Array.prototype.forEach.call(document.querySelectorAll("details"), function (d) {
        d.open = true;
      });
    });
  }

  function init() {
    openForPrint();
    initFindings();
    initPageSearch();
    initExpand();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
