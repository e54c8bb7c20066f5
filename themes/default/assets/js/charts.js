// coachsite charts: turns each chart's JSON data block into a live ECharts
// chart. Markup contract (docs/charts.md):
//
//   <div class="chart" id="ID" data-ratio="0.620" aria-hidden="true">…SVG fallback…</div>
//   <script type="application/json" class="chart-data" data-chart="ID">{…}</script>
//
// Load it after vendor/echarts/echarts.min.js, both with <script src defer>.
// Without JavaScript, or when ECharts did not load, the SVG fallback stays.
// Once the chart is live, the fallback lives on in a <div class="chart-print">
// right after the container, hidden on screen and shown in print.
// No eval, no inline code, no inline style attributes: it runs under
// Content-Security-Policy script-src 'self' and style-src 'self'.
(function () {
  'use strict';

  var live = []; // {el, option, chart}
  var darkQuery = window.matchMedia ? window.matchMedia('(prefers-color-scheme: dark)') : null;
  var motionQuery = window.matchMedia ? window.matchMedia('(prefers-reduced-motion: reduce)') : null;

  function isDark() { return !!(darkQuery && darkQuery.matches); }
  function reducedMotion() { return !!(motionQuery && motionQuery.matches); }

  // size gives the container a height from its width and data-ratio, unless
  // the stylesheet already gave it one. element.style is CSSOM, which the
  // CSP allows (unlike a style="" attribute).
  function size(el) {
    var ratio = parseFloat(el.getAttribute('data-ratio'));
    if (!(ratio > 0)) ratio = 0.62;
    var w = el.clientWidth || 600;
    el.style.height = Math.round(w * ratio) + 'px';
  }

  // locale gives ECharts the month names of the page's language, which the
  // theme writes on the charts' wrapper (data-months, data-months-short,
  // separated by "|"), so that time axes name months in it.
  function locale(el) {
    var w = el.closest ? el.closest('[data-months]') : null;
    if (!w) return undefined;
    var month = w.getAttribute('data-months').split('|');
    var abbr = (w.getAttribute('data-months-short') || '').split('|');
    if (month.length !== 12) return undefined;
    return { time: { month: month, monthAbbr: abbr.length === 12 ? abbr : month } };
  }

  function draw(entry) {
    if (entry.chart) entry.chart.dispose();
    var option = entry.option;
    option.animation = !reducedMotion();
    if (isDark()) option.backgroundColor = 'transparent';
    entry.chart = window.echarts.init(entry.el, isDark() ? 'dark' : null, { renderer: 'svg', locale: locale(entry.el) });
    entry.chart.setOption(option);
  }

  // render starts every chart under root that is not live yet. A page that
  // inserts content later (a sealed page after decryption) calls
  // coachsiteCharts.render(root) or dispatches a 'coachsite:content' event.
  function render(root) {
    if (!window.echarts || typeof window.echarts.init !== 'function') return;
    var blocks = (root || document).querySelectorAll('script.chart-data[data-chart]');
    for (var i = 0; i < blocks.length; i++) {
      var block = blocks[i];
      if (block.getAttribute('data-chart-live') === '1') continue;
      var el = document.getElementById(block.getAttribute('data-chart'));
      if (!el) continue;
      var option;
      try {
        option = JSON.parse(block.textContent);
      } catch (e) {
        continue; // keep the fallback
      }
      block.setAttribute('data-chart-live', '1');
      // The fallback SVG moves out of the way into a sibling that only
      // print shows (the live chart is a screen drawing); the data table
      // beside it stays.
      if (el.firstChild) {
        var print = document.createElement('div');
        print.className = 'chart-print';
        print.setAttribute('aria-hidden', 'true');
        while (el.firstChild) print.appendChild(el.firstChild);
        el.parentNode.insertBefore(print, el.nextSibling);
      }
      el.classList.add('chart-live');
      size(el);
      var entry = { el: el, option: option, chart: null };
      live.push(entry);
      draw(entry);
    }
  }

  var pending = false;
  function resize() {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () {
      pending = false;
      for (var i = 0; i < live.length; i++) {
        size(live[i].el);
        live[i].chart.resize();
      }
    });
  }

  function redrawAll() {
    for (var i = 0; i < live.length; i++) draw(live[i]);
  }

  function listen(query, fn) {
    if (!query) return;
    if (query.addEventListener) query.addEventListener('change', fn);
    else if (query.addListener) query.addListener(fn);
  }

  window.coachsiteCharts = { render: render };
  window.addEventListener('resize', resize);
  listen(darkQuery, redrawAll);
  listen(motionQuery, redrawAll);
  document.addEventListener('coachsite:content', function (e) {
    render(e.detail && e.detail.querySelectorAll ? e.detail : document);
  });
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', function () { render(document); });
  } else {
    render(document);
  }
})();
