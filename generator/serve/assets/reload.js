// coachsite serve: reloads the page after a rebuild and shows the content's
// problems over it. Injected by the preview server only; never part of a
// built site. Text is inserted with textContent, never as markup.
(function () {
  "use strict";
  var me = document.currentScript;
  var served = Number(me && me.getAttribute("data-generation")) || 0;
  var box = null;

  function css() {
    if (document.getElementById("coachsite-overlay-css")) return;
    var l = document.createElement("link");
    l.id = "coachsite-overlay-css";
    l.rel = "stylesheet";
    l.href = "/__coachsite/reload.css";
    document.head.appendChild(l);
  }

  function show(errors) {
    if (!errors || errors.length === 0) {
      if (box) { box.remove(); box = null; }
      return;
    }
    css();
    if (!box) {
      box = document.createElement("section");
      box.id = "coachsite-errors";
      box.setAttribute("role", "alert");
      document.body.appendChild(box);
    }
    box.textContent = "";
    var h = document.createElement("h2");
    h.textContent = errors.length === 1 ? "1 problem in the content" : errors.length + " problems in the content";
    var p = document.createElement("p");
    p.textContent = "The last good version of the site is shown. Fix the file and this goes away.";
    var ul = document.createElement("ul");
    errors.forEach(function (e) {
      var li = document.createElement("li");
      li.textContent = e.text;
      ul.appendChild(li);
    });
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "Hide";
    close.addEventListener("click", function () { box.hidden = true; });
    box.append(h, p, ul, close);
  }

  function update(status) {
    if (status.generation > served) {
      location.reload();
      return;
    }
    show(status.errors);
  }

  // The event stream sends the status as soon as it connects, and again
  // after every rebuild: a page never misses one, as it compares
  // generations. Without EventSource, the status is read once.
  if (window.EventSource) {
    var es = new EventSource("/__coachsite/events");
    es.addEventListener("status", function (ev) { update(JSON.parse(ev.data)); });
  } else {
    fetch("/__coachsite/errors", { cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(update)
      .catch(function () {});
  }
})();
