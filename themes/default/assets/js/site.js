// site.js — progressive enhancement for coachsite pages. The pages are
// complete without it; it only marks open commitments whose due date
// (data-due="YYYY-MM-DD") has passed, and states the age of open ones
// (data-age-from="YYYY-MM-DD", the day made) in days, against the reader's
// own calendar, so the built site never depends on the day it was built;
// and it shows a content table that does not fit its box in its stacked
// form (one card per row) instead of letting it scroll sideways, and puts
// the page's print head into the stylesheet's @page margin box.
// The words of the age come from the element: data-age-CATEGORY for the
// number's CLDR plural category in the page's language (data-age-one,
// data-age-other, ...; other when the category has none), {n} standing for
// the number.
//
// Content inserted later (for example a page unsealed in the browser) is
// marked when a "coachsite:content" event is dispatched on it (it bubbles to
// document), or by calling window.coachsite.markOverdue(root).
(function () {
  "use strict";

  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }

  function today() {
    var d = new Date();
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
  }

  function markOverdue(root) {
    var now = today();
    var items = (root || document).querySelectorAll("[data-due]");
    for (var i = 0; i < items.length; i++) {
      var el = items[i];
      var due = el.getAttribute("data-due");
      if (!/^\d{4}-\d{2}-\d{2}$/.test(due)) continue;
      el.classList.toggle("overdue", due < now);
      el.classList.toggle("due-today", due === now);
      if (due < now && !el.querySelector(".overdue-badge")) {
        var list = el.closest("[data-overdue-label]");
        var badge = document.createElement("span");
        badge.className = "overdue-badge";
        badge.textContent = list ? list.getAttribute("data-overdue-label") : "overdue";
        el.appendChild(document.createTextNode(" "));
        el.appendChild(badge);
      }
    }
  }

  function days(from, to) {
    var a = Date.UTC(+from.slice(0, 4), +from.slice(5, 7) - 1, +from.slice(8, 10));
    var b = Date.UTC(+to.slice(0, 4), +to.slice(5, 7) - 1, +to.slice(8, 10));
    return Math.round((b - a) / 86400000);
  }

  function plural(n) {
    try {
      return new Intl.PluralRules(document.documentElement.lang || "en").select(n);
    } catch (e) {
      return n === 1 ? "one" : "other";
    }
  }

  function markAge(root) {
    var now = today();
    var items = (root || document).querySelectorAll("[data-age-from]");
    for (var i = 0; i < items.length; i++) {
      var el = items[i];
      var from = el.getAttribute("data-age-from");
      if (!/^\d{4}-\d{2}-\d{2}$/.test(from)) continue;
      var n = Math.max(0, days(from, now));
      var label = el.getAttribute("data-age-" + plural(n)) || el.getAttribute("data-age-other") || "{n}";
      el.textContent = label.replace("{n}", String(n));
    }
  }

  function mark(root) {
    markOverdue(root);
    markAge(root);
  }

  // Tables. label names every body and footer cell after its column's
  // header (data-label, read by the stylesheet's stacked form) and gives
  // the parts of the table their roles, which a table shown as blocks
  // loses in some browsers. It reads the words from the table itself, so
  // they stay the theme's.
  function label(table) {
    if (table.hasAttribute("data-labelled")) return;
    var head = table.tHead && table.tHead.rows[0];
    if (!head) return;
    var names = [];
    for (var i = 0; i < head.cells.length; i++) {
      var span = head.cells[i].colSpan || 1;
      for (var k = 0; k < span; k++) names.push(head.cells[i].textContent.replace(/\s+/g, " ").trim());
    }
    table.setAttribute("role", "table");
    var groups = table.querySelectorAll(":scope > thead, :scope > tbody, :scope > tfoot");
    for (var g = 0; g < groups.length; g++) {
      groups[g].setAttribute("role", "rowgroup");
      var rows = groups[g].rows;
      for (var r = 0; r < rows.length; r++) {
        rows[r].setAttribute("role", "row");
        var col = 0;
        for (var c = 0; c < rows[r].cells.length; c++) {
          var cell = rows[r].cells[c];
          var head_ = groups[g] === table.tHead;
          cell.setAttribute("role", head_ ? "columnheader" : cell.tagName === "TH" ? "rowheader" : "cell");
          // A footer row names itself (its row header spans the columns).
          var foot = groups[g] === table.tFoot;
          if (!head_ && !foot && cell.tagName === "TD" && !cell.hasAttribute("data-label") && names[col]) {
            cell.setAttribute("data-label", cell.colSpan > 1 ? "" : names[col]);
          }
          col += cell.colSpan || 1;
        }
      }
    }
    table.setAttribute("data-labelled", "");
  }

  // fitTables shows every content table under root that is wider than its
  // box in its stacked form, and the others as tables.
  function fitTables(root) {
    var tables = (root || document).querySelectorAll("main table");
    var i, t;
    for (i = 0; i < tables.length; i++) {
      t = tables[i];
      if (t.classList.contains("chart-table")) continue;
      label(t);
      t.classList.remove("table-stacked");
      if (t.parentNode.classList) t.parentNode.classList.remove("has-stacked");
    }
    // Every table is measured before any is stacked: a class added between
    // two measurements would make the browser lay the page out again for
    // each table (a second or more on a slow phone's trend page).
    var wide = [];
    for (i = 0; i < tables.length; i++) {
      t = tables[i];
      if (t.classList.contains("chart-table") || !t.hasAttribute("data-labelled")) continue;
      var box = t.parentNode;
      var room = box.clientWidth || (box.getBoundingClientRect && box.getBoundingClientRect().width) || 0;
      if (room > 0 && (t.offsetWidth > room + 1 || box.scrollWidth > box.clientWidth + 1)) wide.push(t);
    }
    for (i = 0; i < wide.length; i++) {
      wide[i].classList.add("table-stacked");
      if (wide[i].parentNode.classList) wide[i].parentNode.classList.add("has-stacked");
    }
  }

  var fitting = false;
  window.addEventListener("resize", function () {
    if (fitting) return;
    fitting = true;
    window.requestAnimationFrame(function () { fitting = false; fitTables(document); });
  });

  // printHead puts the page's data-print-head (the client's name and the
  // page's date) into the stylesheet's @page margin box, so that it prints
  // at the top of every sheet. A custom property on the root is CSSOM,
  // which the CSP allows.
  function printHead() {
    var el = document.querySelector("main [data-print-head]");
    if (!el) return;
    var text = el.getAttribute("data-print-head").replace(/[\r\n]+/g, " ");
    document.documentElement.style.setProperty("--print-head", '"' + text.replace(/["\\]/g, "\\$&") + '"');
  }

  // afterPaint runs fn once the page has been painted. A tab that is not
  // shown paints no frame: there fn runs at once, and after a second at the
  // latest anywhere.
  function afterPaint(fn) {
    var done = false;
    function run() {
      if (!done) { done = true; fn(); }
    }
    if (!window.requestAnimationFrame || document.visibilityState === "hidden") {
      window.setTimeout(run, 0);
      return;
    }
    window.requestAnimationFrame(function () { window.setTimeout(run, 0); });
    window.setTimeout(run, 1000);
  }

  window.coachsite = window.coachsite || {};
  window.coachsite.markOverdue = mark;
  window.coachsite.fitTables = fitTables;
  window.coachsite.afterPaint = afterPaint;

  // Content that arrives later (a sealed page, opened) is painted before
  // its tables are fitted: measuring them lays the page out, and stacking
  // one lays it out again, which on a slow phone holds the first paint of
  // the page and its charts back by a tenth of a second or more. A table
  // that does not fit is stacked in the next frame.
  document.addEventListener("coachsite:content", function (e) {
    mark(e.target && e.target.querySelectorAll ? e.target : document);
    printHead();
    afterPaint(function () { fitTables(document); });
  });
  function enhance() {
    mark(document);
    fitTables(document);
    printHead();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enhance);
  } else {
    enhance();
  }
})();
