// coachsite charts: turns each chart's JSON data block into a live ECharts
// chart. Markup contract (docs/charts.md):
//
//   <div class="chart" id="ID" data-height="360" aria-hidden="true">…SVG fallback…</div>
//   <script type="application/json" class="chart-data" data-chart="ID">{…}</script>
//
// Load it with <script src defer>. It gives every chart container its height
// at once (data-height, from the chart's content, never from its width), so
// the server-side SVG already in the container is the first paint; it then
// loads ECharts itself, from the same site (vendor/echarts/echarts.min.js
// beside this script's folder, so the browser caches it once per site), and
// the live chart takes over when it has loaded. Without JavaScript, or when
// ECharts did not load, the SVG fallback stays. Once the chart is live, the
// fallback lives on in a <div class="chart-print"> right after the
// container, hidden on screen and shown in print.
// No eval, no inline code, no inline style attributes: it runs under
// Content-Security-Policy script-src 'self' and style-src 'self'.
(function () {
  'use strict';

  var live = []; // {el, option, chart}
  var darkQuery = window.matchMedia ? window.matchMedia('(prefers-color-scheme: dark)') : null;
  var motionQuery = window.matchMedia ? window.matchMedia('(prefers-reduced-motion: reduce)') : null;
  var self = document.currentScript;
  var loading = false;

  function isDark() { return !!(darkQuery && darkQuery.matches); }
  function reducedMotion() { return !!(motionQuery && motionQuery.matches); }

  // size gives the container its height. element.style is CSSOM, which the
  // CSP allows (unlike a style="" attribute).
  function size(el) {
    var h = parseInt(el.getAttribute('data-height'), 10);
    if (!(h > 0)) h = 300;
    el.style.height = h + 'px';
    el.classList.add('chart-sized');
  }

  function each(x, fn) {
    if (!x) return;
    if (Array.isArray(x)) { for (var i = 0; i < x.length; i++) fn(x[i]); } else fn(x);
  }

  // fit adapts what depends on the container's width: titles are cut to
  // it (the data table keeps every text), the arc chart's labels get room
  // for their longest word and its wheel the largest radius that leaves
  // them room on every side, and time and category axes step so that
  // labels stand apart, and legend texts get the room the width leaves.
  function fit(el, option) {
    var w = el.clientWidth || 320;
    var h = el.clientHeight || 300;
    each(option.title, function (t) {
      t.textStyle = t.textStyle || {};
      t.textStyle.width = w - 16;
      t.textStyle.overflow = 'truncate';
      t.subtextStyle = t.subtextStyle || {};
      t.subtextStyle.width = w - 16;
      t.subtextStyle.overflow = 'truncate';
    });
    if (option.polar && option.angleAxis) {
      var label = wordRoom(el, option.angleAxis, w);
      var top = option.title && option.title.text ? 40 : 8;
      var legend = option.legend && option.legend.show !== false && option.series && option.series.length > 1;
      var bottom = legend ? 32 : 8;
      var r = Math.min(w / 2 - label - 14, (h - top - bottom) / 2 - 46);
      r = Math.max(r, 40);
      option.polar.radius = [0, Math.round(r)];
      option.polar.center = [Math.round(w / 2), Math.round(top + (h - top - bottom) / 2)];
    }
    each(option.legend, function (lg) { widenLegend(lg, w, option.series); });
    var plot = plotWidth(w, Array.isArray(option.yAxis) ? option.yAxis.length : 1);
    each(option.xAxis, function (ax) {
      if (ax && ax.type === 'time') {
        ax.splitNumber = monthTicks(el, ax, plot, option.series);
      } else if (ax && ax.type === 'category' && ax.data && ax.data.length) {
        ax.axisLabel = ax.axisLabel || {};
        ax.axisLabel.interval = categoryStep(ax, plot);
      }
    });
    return option;
  }

  // widenLegend gives each legend item's text, cut by the server to a width
  // that lets two items share a phone's line, the room its share of a wider
  // chart leaves (at most 240 px): "Bisher eingehalten (%)" is cut on a
  // phone, not on a laptop. The server's width stays the least.
  function widenLegend(lg, w, series) {
    var ts = lg && lg.textStyle;
    if (!ts || !ts.width) return;
    if (!lg.serverTextWidth) lg.serverTextWidth = ts.width;
    var n = (lg.data && lg.data.length) || (Array.isArray(series) ? series.length : 1) || 1;
    var room = Math.floor((w - 16) / n) - (lg.itemWidth || 25) - 5 - (lg.itemGap || 10);
    ts.width = Math.max(lg.serverTextWidth, Math.min(room, 240));
  }

  // LABEL_GAP is the least room, in px, between two x axis labels side by
  // side: ECharts hides labels that overlap, not those that touch and read
  // as one word.
  var LABEL_GAP = 16;

  // plotWidth estimates the width of the plot of a chart w pixels wide
  // with yAxes value axes: less the grid's sides and each y axis' labels.
  function plotWidth(w, yAxes) {
    return w - 24 - 40 * yAxes;
  }

  // categoryStep is the axisLabel.interval (labels skipped between two
  // shown) that keeps a category axis' labels (the dates under a bar chart's
  // bars) LABEL_GAP apart on a plot plot pixels wide.
  function categoryStep(ax, plot) {
    var size = (ax.axisLabel && ax.axisLabel.fontSize) || 12;
    var widest = 0;
    each(ax.data, function (d) {
      widest = Math.max(widest, textWidth(String(d && d.value !== undefined ? d.value : d), size));
    });
    var slot = plot / ax.data.length;
    return Math.max(0, Math.ceil((widest + LABEL_GAP) / Math.max(slot, 1)) - 1);
  }

  var measure = null;

  // textWidth is the width of s at size px in the charts' font, or an
  // estimate where a canvas cannot measure.
  function textWidth(s, size) {
    if (measure === null) measure = document.createElement('canvas').getContext('2d') || false;
    if (!measure) return s.length * size * 0.62;
    measure.font = size + 'px sans-serif';
    return measure.measureText(s).width;
  }

  // wordRoom widens the arc's angle labels (the width the build gave them,
  // kept in data-label-width) to their longest word, up to a quarter of the
  // chart, and returns the width: ECharts breaks a word wider than the
  // label inside the word ("Accountabilit" / "y" where a browser's font is
  // wider). Longer words still break.
  function wordRoom(el, ax, w) {
    var al = ax.axisLabel || {};
    if (!el.hasAttribute('data-label-width')) el.setAttribute('data-label-width', String(al.width || 76));
    var base = parseInt(el.getAttribute('data-label-width'), 10) || 76;
    var size = al.fontSize || 12;
    var longest = 0;
    each(ax.data, function (d) {
      var words = String(d && d.value !== undefined ? d.value : d).split(/\s+/);
      for (var i = 0; i < words.length; i++) longest = Math.max(longest, textWidth(words[i], size));
    });
    var width = Math.max(base, Math.min(Math.ceil(longest) + 4, Math.floor(w / 4)));
    if (ax.axisLabel) ax.axisLabel.width = width;
    return width;
  }

  // monthTicks is the splitNumber that makes a time axis over a plot plot
  // pixels wide step by enough days or months for its labels (month names
  // in the page's language, or "30 Mar" within a month) to stand LABEL_GAP
  // apart: month names differ in length between languages (Arabic has no
  // short forms). ECharts steps by 1, 2, 4, 7 or 16 days, or 1, 2, 3 or 6
  // months, choosing by the span over splitNumber: 2 months when that is
  // above 2 months and at most 3, and so on. The target of each step lies
  // inside its range.
  function monthTicks(el, ax, plot, series) {
    var lo = Infinity, hi = -Infinity;
    each(series, function (s) {
      each(s && s.data, function (d) {
        var v = d && d.value ? d.value : d;
        var t = Date.parse(Array.isArray(v) ? v[0] : v);
        if (t < lo) lo = t;
        if (t > hi) hi = t;
      });
    });
    var days = (hi - lo) / (24 * 3600 * 1000);
    if (!(days >= 1)) return 5; // ECharts' own default
    var loc = locale(el);
    var names = loc ? loc.time.monthAbbr : ['May'];
    var size = (ax.axisLabel && ax.axisLabel.fontSize) || 12;
    var month = 0;
    for (var i = 0; i < names.length; i++) month = Math.max(month, textWidth(names[i], size));
    var day = textWidth('30 ', size) + month;
    var steps = [
      { days: 1, target: 1.2, label: day }, { days: 2, target: 2.5, label: day },
      { days: 4, target: 4.5, label: day }, { days: 7, target: 8, label: day },
      { days: 16, target: 17, label: day }, { days: 30, target: 45, label: month },
      { days: 61, target: 75, label: month }, { days: 91, target: 105, label: month },
      { days: 182, target: 200, label: month }
    ];
    // Over more than two months the axis steps by months, as the server's
    // drawing does: on a wide screen, days in mid-month between the month
    // names ("17 Feb, Mar, 17 Mar, Apr") read as clutter.
    var k = days > 62 ? 5 : 0;
    for (; k < steps.length - 1; k++) {
      var slots = Math.max(1, Math.floor(plot / (steps[k].label + LABEL_GAP)));
      if (days / steps[k].days < slots) break;
    }
    return Math.max(1, Math.floor(days / steps[k].target));
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
    var option = fit(entry.el, entry.option);
    option.animation = !reducedMotion();
    if (isDark()) option.backgroundColor = 'transparent';
    entry.chart = window.echarts.init(entry.el, isDark() ? 'dark' : null, { renderer: 'svg', locale: locale(entry.el) });
    entry.chart.on('finished', function () { relinkClips(entry.el); });
    entry.chart.setOption(option);
    viewBox(entry);
  }

  // relinkClips takes every clip-path reference of a chart's drawing away
  // and sets it again a frame later. ECharts reveals a line by animating
  // the shape of its clip path (and reshapes it on resize), and WebKit
  // (Safari) does not repaint an element when only the shape of its clip
  // path changed: the lines would stay hidden, or cut where they were.
  // Changing the reference in one frame and back in the next repaints
  // them; the same value set twice in one frame would not.
  function relinkClips(el) {
    var clipped = el.querySelectorAll('[clip-path]');
    if (!clipped.length) return;
    var refs = [];
    for (var i = 0; i < clipped.length; i++) {
      refs.push(clipped[i].getAttribute('clip-path'));
      clipped[i].removeAttribute('clip-path');
    }
    window.requestAnimationFrame(function () {
      for (var j = 0; j < clipped.length; j++) {
        if (!clipped[j].hasAttribute('clip-path')) clipped[j].setAttribute('clip-path', refs[j]);
      }
    });
  }

  // viewBox lets the live SVG scale, for print, where a chart without a
  // server-side drawing prints it.
  function viewBox(entry) {
    var svg = entry.el.querySelector('svg');
    if (svg) svg.setAttribute('viewBox', '0 0 ' + entry.chart.getWidth() + ' ' + entry.chart.getHeight());
  }

  function ready() { return window.echarts && typeof window.echarts.init === 'function'; }

  // load fetches ECharts once, from the folder beside this script's: the
  // download starts at once, and the script runs after the first paint.
  function load() {
    if (loading || ready()) return;
    loading = true;
    var src = self && self.src ? self.src.replace(/js\/charts\.js(\?.*)?$/, 'vendor/echarts/echarts.min.js') : '';
    if (!src || src === self.src) return;
    var hint = document.createElement('link');
    hint.rel = 'preload';
    hint.as = 'script';
    hint.href = src;
    document.head.appendChild(hint);
    // ECharts is a large script: when it comes from the cache its start
    // would otherwise hold up the first paint of the charts already drawn
    // on the server. site.js holds afterPaint.
    var after = (window.coachsite && window.coachsite.afterPaint) || function (fn) { window.setTimeout(fn, 0); };
    after(function () {
      var s = document.createElement('script');
      s.src = src;
      s.async = true;
      s.onload = function () { render(document); };
      document.head.appendChild(s);
    });
  }

  // render sizes every chart under root and, once ECharts is there, starts
  // every one that is not live yet. A page that inserts content later (a
  // sealed page after decryption) calls coachsiteCharts.render(root) or
  // dispatches a 'coachsite:content' event.
  function render(root) {
    var blocks = (root || document).querySelectorAll('script.chart-data[data-chart]');
    if (!blocks.length) return;
    for (var i = 0; i < blocks.length; i++) {
      var el = document.getElementById(blocks[i].getAttribute('data-chart'));
      if (el && !el.classList.contains('chart-sized')) size(el);
    }
    if (!ready()) { load(); return; }
    for (var j = 0; j < blocks.length; j++) {
      var block = blocks[j];
      if (block.getAttribute('data-chart-live') === '1') continue;
      var c = document.getElementById(block.getAttribute('data-chart'));
      if (!c) continue;
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
      if (!c.firstChild) c.classList.add('chart-prints-live');
      if (c.firstChild) {
        var print = document.createElement('div');
        print.className = 'chart-print';
        print.setAttribute('aria-hidden', 'true');
        while (c.firstChild) print.appendChild(c.firstChild);
        c.parentNode.insertBefore(print, c.nextSibling);
      }
      c.classList.add('chart-live');
      var entry = { el: c, option: option, chart: null };
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
        var e = live[i];
        e.chart.resize();
        var o = fit(e.el, { title: e.option.title, polar: e.option.polar, angleAxis: e.option.angleAxis, legend: e.option.legend, series: e.option.series, xAxis: e.option.xAxis });
        e.chart.setOption({ title: o.title, polar: o.polar, angleAxis: o.angleAxis, xAxis: o.xAxis });
        viewBox(e);
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
  // In the capture phase: the charts get their heights before anything
  // else that handles the new content reads its layout, so the browser
  // lays it out once rather than again for every chart.
  document.addEventListener('coachsite:content', function (e) {
    render(e.detail && e.detail.querySelectorAll ? e.detail : document);
  }, true);
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', function () { render(document); });
  } else {
    render(document);
  }
})();
