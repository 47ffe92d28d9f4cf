/* policylab report: sortable tables (tablesort, shipped beside this file), filters, clause links.
   Nothing is loaded from the network. */
(function () {
  "use strict";

  function sortable() {
    var tables = document.querySelectorAll("table.sortable");
    for (var i = 0; i < tables.length; i++) {
      new Tablesort(tables[i]);
    }
  }

  /* Filters: every element with data-sector / data-language / data-company inside
     [data-filtered] is shown only when it matches the chosen sector, language and
     company text. The count of shown rows is written into [data-filter-count]. */
  function filters() {
    var form = document.getElementById("filters");
    if (!form) { return; }
    var sector = form.querySelector("[name=sector]");
    var language = form.querySelector("[name=language]");
    var company = form.querySelector("[name=company]");
    function apply() {
      var s = sector.value, l = language.value, c = company.value.trim().toLowerCase();
      var items = document.querySelectorAll("[data-filtered] [data-sector]");
      var shown = 0;
      for (var i = 0; i < items.length; i++) {
        var el = items[i];
        var ok = (!s || el.getAttribute("data-sector") === s) &&
                 (!l || el.getAttribute("data-language") === l) &&
                 (!c || (el.getAttribute("data-company") || "").toLowerCase().indexOf(c) !== -1);
        el.hidden = !ok;
        if (ok && el.tagName === "TR") { shown++; }
      }
      var counts = document.querySelectorAll("[data-filter-count]");
      for (var j = 0; j < counts.length; j++) { counts[j].textContent = String(shown); }
    }
    form.addEventListener("input", apply);
    form.addEventListener("change", apply);
    form.addEventListener("reset", function () { setTimeout(apply, 0); });
    apply();
  }

  /* A link to a clause inside a closed <details> opens it, and the clause is marked. */
  function revealTarget() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    if (!id) { return; }
    var el = document.getElementById(id);
    if (!el) { return; }
    for (var p = el.parentElement; p; p = p.parentElement) {
      if (p.tagName === "DETAILS") { p.open = true; }
    }
    var old = document.querySelectorAll(".target");
    for (var i = 0; i < old.length; i++) { old[i].classList.remove("target"); }
    el.classList.add("target");
  }

  document.addEventListener("DOMContentLoaded", function () {
    sortable();
    filters();
    revealTarget();
  });
  window.addEventListener("hashchange", revealTarget);
})();
