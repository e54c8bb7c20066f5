// site.js — progressive enhancement for coachsite pages. The pages are
// complete without it; it only marks open commitments whose due date
// (data-due="YYYY-MM-DD") has passed, against the reader's own calendar,
// so the built site never depends on the day it was built.
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

  window.coachsite = window.coachsite || {};
  window.coachsite.markOverdue = markOverdue;

  document.addEventListener("coachsite:content", function (e) {
    markOverdue(e.target && e.target.querySelectorAll ? e.target : document);
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { markOverdue(document); });
  } else {
    markOverdue(document);
  }
})();
