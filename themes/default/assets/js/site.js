// site.js — progressive enhancement for coachsite pages. The pages are
// complete without it; it only marks open commitments whose due date
// (data-due="YYYY-MM-DD") has passed, and states the age of open ones
// (data-age-from="YYYY-MM-DD", the day made) in days, against the reader's
// own calendar, so the built site never depends on the day it was built.
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

  window.coachsite = window.coachsite || {};
  window.coachsite.markOverdue = mark;

  document.addEventListener("coachsite:content", function (e) {
    mark(e.target && e.target.querySelectorAll ? e.target : document);
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { mark(document); });
  } else {
    mark(document);
  }
})();
