// dashboard.js — counts, on the coach dashboard, each client's open
// commitments whose due date has passed, against the reader's own calendar
// (the build never looks at the date). Each count cell carries
// data-dues="YYYY-MM-DD YYYY-MM-DD …". The dashboard is sealed, so the cells
// usually arrive with a "coachsite:content" event after the unlock.
(function () {
  "use strict";

  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }

  function count(root) {
    var d = new Date();
    var now = d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
    var cells = (root || document).querySelectorAll("[data-dues]");
    for (var i = 0; i < cells.length; i++) {
      var dues = cells[i].getAttribute("data-dues").split(" ");
      var n = 0;
      for (var j = 0; j < dues.length; j++) {
        if (/^\d{4}-\d{2}-\d{2}$/.test(dues[j]) && dues[j] < now) n++;
      }
      cells[i].textContent = String(n);
      cells[i].classList.toggle("overdue", n > 0);
    }
  }

  document.addEventListener("coachsite:content", function (e) {
    count(e.target && e.target.querySelectorAll ? e.target : document);
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { count(document); });
  } else {
    count(document);
  }
})();
