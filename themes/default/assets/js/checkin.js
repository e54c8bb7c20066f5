// checkin.js: the client's check-in page (layouts/checkin.html). It keeps
// the arc, the number fields and the totals in step, and on submit seals
// the check-in to the coach's public key with WebCrypto (ECDH P-256, HKDF-
// SHA256, AES-256-GCM; docs/checkin.md gives the format, generator/checkin
// opens it). It makes no request: the page's CSP says connect-src 'none'.
// The unfinished check-in is kept on the device only when the client ticks
// "keep", under coachsite:check-in:<portal>; Lock (unlock.js) removes it.
(function () {
  'use strict';

  var DRAFT_PREFIX = 'coachsite:check-in:';
  var BEGIN = '-----BEGIN COACHSITE CHECK-IN-----';
  var END = '-----END COACHSITE CHECK-IN-----';
  var VERSION = 1;

  function b64urlDecode(s) {
    s = s.replace(/-/g, '+').replace(/_/g, '/');
    while (s.length % 4) s += '=';
    var bin = atob(s), out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }

  function b64urlEncode(b) {
    var bin = '';
    for (var i = 0; i < b.length; i++) bin += String.fromCharCode(b[i]);
    return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  function utf8(s) { return new TextEncoder().encode(s); }

  function concat() {
    var n = 0, i;
    for (i = 0; i < arguments.length; i++) n += arguments[i].length;
    var out = new Uint8Array(n), at = 0;
    for (i = 0; i < arguments.length; i++) { out.set(arguments[i], at); at += arguments[i].length; }
    return out;
  }

  function u64(n) {
    var b = new Uint8Array(8), v = new DataView(b.buffer);
    v.setUint32(0, Math.floor(n / 4294967296));
    v.setUint32(4, n % 4294967296);
    return b;
  }

  function armor(bytes) {
    var s = b64urlEncode(bytes), lines = [BEGIN];
    for (var i = 0; i < s.length; i += 64) lines.push(s.slice(i, i + 64));
    lines.push(END);
    return lines.join('\n') + '\n';
  }

  // quote writes s as a YAML double-quoted string: JSON's escapes are YAML's,
  // and the characters YAML takes as line breaks are escaped too.
  function quote(s) {
    return JSON.stringify(s).replace(/[\u0080-\u009f\u2028\u2029\ufeff]/g, function (c) {
      return '\\u' + ('000' + c.charCodeAt(0).toString(16)).slice(-4);
    });
  }

  // seal encrypts text for the coach: see docs/checkin.md, "The block".
  async function seal(form, text) {
    var subtle = crypto.subtle;
    var coachRaw = b64urlDecode(form.getAttribute('data-public'));
    var site = b64urlDecode(form.getAttribute('data-site'));
    var portal = utf8(form.getAttribute('data-portal'));
    var days = parseInt(form.getAttribute('data-days'), 10) || 30;
    var coach = await subtle.importKey('raw', coachRaw, { name: 'ECDH', namedCurve: 'P-256' }, false, []);
    var eph = await subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, ['deriveBits']);
    var ephRaw = new Uint8Array(await subtle.exportKey('raw', eph.publicKey));
    var shared = await subtle.deriveBits({ name: 'ECDH', public: coach }, eph.privateKey, 256);
    var hk = await subtle.importKey('raw', shared, 'HKDF', false, ['deriveKey']);
    var key = await subtle.deriveKey(
      { name: 'HKDF', hash: 'SHA-256', salt: concat(ephRaw, coachRaw), info: concat(utf8('coachsite/1/check-in\u0000'), site, portal) },
      hk, { name: 'AES-GCM', length: 256 }, false, ['encrypt']);
    var made = Math.floor(Date.now() / 1000);
    var header = concat(new Uint8Array([VERSION]), site, portal, u64(made), u64(made + days * 86400), ephRaw);
    var nonce = crypto.getRandomValues(new Uint8Array(12));
    var ct = new Uint8Array(await subtle.encrypt({ name: 'AES-GCM', iv: nonce, additionalData: header }, key, utf8(text)));
    return armor(concat(header, nonce, ct));
  }

  function storage() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  function today() {
    var d = new Date();
    function two(n) { return (n < 10 ? '0' : '') + n; }
    return d.getFullYear() + '-' + two(d.getMonth() + 1) + '-' + two(d.getDate());
  }

  function lines(s) {
    return s.split('\n').map(function (x) { return x.trim(); }).filter(function (x) { return x !== ''; });
  }

  function init(root) {
    var form = root.querySelector && root.querySelector('#check-in');
    if (!form || form.hasAttribute('data-ready')) return;
    form.setAttribute('data-ready', '');
    var min = parseInt(form.getAttribute('data-min'), 10), max = parseInt(form.getAttribute('data-max'), 10);
    var svg = form.querySelector('svg.ci-arc');
    var status = document.getElementById('ci-status');
    var ratings = [].slice.call(form.querySelectorAll('input.ci-rating'));
    var draftKey = DRAFT_PREFIX + form.getAttribute('data-portal');
    var keep = document.getElementById('ci-keep');

    function say(msg, isError) {
      status.textContent = msg;
      status.classList.toggle('ci-error', !!isError);
    }

    // The arc: the geometry chart.CheckInArc writes on the <svg>.
    var g = svg ? {
      cx: +svg.getAttribute('data-cx'), cy: +svg.getAttribute('data-cy'), r: +svg.getAttribute('data-r'),
      pad: +svg.getAttribute('data-pad'), n: ratings.length
    } : null;
    function radius(v) { return g.r * Math.max(0, Math.min(1, (v - min + 1) / (max - min + 1))); }
    function f(x) { return Math.round(x * 100) / 100; }
    function sector(i, r) {
      var step = 2 * Math.PI / Math.max(g.n, 1), a0 = -Math.PI / 2 + i * step + g.pad, a1 = -Math.PI / 2 + (i + 1) * step - g.pad;
      if (g.n === 1) { a0 = -Math.PI / 2; a1 = 3 * Math.PI / 2 - 0.0001; }
      var x0 = g.cx + r * Math.cos(a0), y0 = g.cy + r * Math.sin(a0), x1 = g.cx + r * Math.cos(a1), y1 = g.cy + r * Math.sin(a1);
      return 'M' + f(g.cx) + ' ' + f(g.cy) + 'L' + f(x0) + ' ' + f(y0) + 'A' + f(r) + ' ' + f(r) + (a1 - a0 > Math.PI ? ' 0 1 1 ' : ' 0 0 1 ') + f(x1) + ' ' + f(y1) + 'Z';
    }
    function draw(input) {
      if (!svg) return;
      var grp = svg.querySelector('g[data-area="' + input.getAttribute('data-area') + '"]');
      var fill = grp && grp.querySelector('.ci-fill');
      if (!fill) return;
      var v = parseInt(input.value, 10);
      fill.setAttribute('d', v >= min && v <= max ? sector(+grp.getAttribute('data-index'), radius(v)) : '');
    }
    ratings.forEach(function (input) { input.addEventListener('input', function () { draw(input); }); });

    if (svg) {
      var active = -1;
      var point = function (ev) {
        var m = svg.getScreenCTM();
        if (!m) return null;
        var p = new DOMPoint(ev.clientX, ev.clientY).matrixTransform(m.inverse());
        return { dx: p.x - g.cx, dy: p.y - g.cy };
      };
      var set = function (ev) {
        var p = point(ev);
        if (!p || active < 0) return;
        var r = Math.sqrt(p.dx * p.dx + p.dy * p.dy);
        var v = Math.max(min, Math.min(max, Math.ceil(r / g.r * (max - min + 1)) + min - 1));
        var input = ratings[active];
        if (String(v) !== input.value) {
          input.value = String(v);
          input.dispatchEvent(new Event('input', { bubbles: true }));
        }
      };
      svg.addEventListener('pointerdown', function (ev) {
        var p = point(ev);
        if (!p) return;
        var r = Math.sqrt(p.dx * p.dx + p.dy * p.dy);
        if (r > g.r * 1.15) return;
        var a = Math.atan2(p.dy, p.dx) + Math.PI / 2;
        if (a < 0) a += 2 * Math.PI;
        active = Math.min(g.n - 1, Math.floor(a / (2 * Math.PI / g.n)));
        try { svg.setPointerCapture(ev.pointerId); } catch (e) { /* not capturable */ }
        ev.preventDefault();
        set(ev);
      });
      svg.addEventListener('pointermove', function (ev) { if (active >= 0) set(ev); });
      var stop = function () { active = -1; };
      svg.addEventListener('pointerup', stop);
      svg.addEventListener('pointercancel', stop);
    }

    // The running totals of the time split.
    function total(cls) {
      var sum = 0;
      [].forEach.call(form.querySelectorAll('input.' + cls), function (i) { sum += parseInt(i.value, 10) || 0; });
      return sum;
    }
    function totals() {
      [['ci-actual', 'ci-total-actual'], ['ci-wished', 'ci-total-wished']].forEach(function (x) {
        var out = document.getElementById(x[1]), sum = total(x[0]);
        out.textContent = sum + ' / 100';
        out.classList.toggle('ci-bad', sum !== 100);
      });
    }
    form.addEventListener('input', totals);
    totals();

    // The draft, on this device only when the client asks for it.
    function fields() { return [].slice.call(form.querySelectorAll('input[name], textarea[name]')).filter(function (el) { return el !== keep; }); }
    function save() {
      var s = storage();
      if (!s) return;
      try {
        if (!keep.checked) { s.removeItem(draftKey); return; }
        var d = {};
        fields().forEach(function (el) {
          if (el.type === 'radio') { if (el.checked) d[el.name] = el.value; } else d[el.name] = el.value;
        });
        s.setItem(draftKey, JSON.stringify(d));
      } catch (e) { /* full or blocked */ }
    }
    (function restore() {
      var s = storage(), d = null;
      try { d = s && JSON.parse(s.getItem(draftKey) || 'null'); } catch (e) { d = null; }
      if (!d) return;
      fields().forEach(function (el) {
        if (!(el.name in d)) return;
        if (el.type === 'radio') el.checked = d[el.name] === el.value; else el.value = d[el.name];
      });
      keep.checked = true;
      ratings.forEach(draw);
      totals();
      say(form.getAttribute('data-msg-kept'));
    })();
    form.addEventListener('input', save);
    form.addEventListener('change', save);

    function text() {
      var out = ['---', 'date: ' + today()];
      out.push('ratings: {' + ratings.map(function (i) { return quote(i.getAttribute('data-area')) + ': ' + parseInt(i.value, 10); }).join(', ') + '}');
      out.push('time:');
      ratings.forEach(function (i) {
        var k = i.getAttribute('data-area');
        var a = parseInt(document.getElementById('ci-a-' + k).value, 10) || 0;
        var w = parseInt(document.getElementById('ci-w-' + k).value, 10) || 0;
        out.push('  ' + quote(k) + ': {actual: ' + a + ', wished: ' + w + '}');
      });
      var cs = [].slice.call(form.querySelectorAll('fieldset.ci-commitment')), notes = [];
      if (cs.length) {
        out.push('commitments:');
        cs.forEach(function (fs) {
          var id = fs.getAttribute('data-id'), st = fs.querySelector('input[type=radio]:checked');
          out.push('  - {id: ' + id + ', status: ' + (st ? st.value : 'open') + '}');
          var note = fs.querySelector('input.ci-note').value.trim();
          if (note) notes.push(id + ': ' + quote(note));
        });
      }
      if (notes.length) out.push('notes: {' + notes.join(', ') + '}');
      var en = lines(document.getElementById('ci-energizers').value), dr = lines(document.getElementById('ci-drainers').value);
      if (en.length) out.push('energizers: [' + en.map(quote).join(', ') + ']');
      if (dr.length) out.push('drainers: [' + dr.map(quote).join(', ') + ']');
      var refl = document.getElementById('ci-reflection').value.trim();
      if (refl) out.push('reflection: ' + quote(refl));
      out.push('---');
      return out.join('\n') + '\n';
    }

    form.addEventListener('submit', async function (ev) {
      ev.preventDefault();
      for (var i = 0; i < ratings.length; i++) {
        var v = parseInt(ratings[i].value, 10);
        ratings[i].setAttribute('aria-invalid', String(!(v >= min && v <= max)));
        if (!(v >= min && v <= max)) {
          say(form.getAttribute('data-msg-rating'), true);
          ratings[i].focus();
          return;
        }
      }
      if (total('ci-actual') !== 100 || total('ci-wished') !== 100) {
        say(form.getAttribute('data-msg-total'), true);
        form.querySelector('input.ci-actual').focus();
        return;
      }
      if (!window.crypto || !crypto.subtle) {
        say(form.getAttribute('data-msg-nocrypto'), true);
        return;
      }
      var block = await seal(form, text());
      keep.checked = false;
      save();
      say(form.getAttribute('data-msg-sealed'));
      var result = document.getElementById('ci-result');
      document.getElementById('ci-block').value = block;
      var mail = document.getElementById('ci-mail');
      if (mail) {
        mail.href = 'mailto:' + form.getAttribute('data-email') + '?subject=' + encodeURIComponent(form.getAttribute('data-subject')) + '&body=' + encodeURIComponent(block);
      }
      var dl = document.getElementById('ci-download');
      dl.href = URL.createObjectURL(new Blob([block], { type: 'text/plain;charset=utf-8' }));
      result.hidden = false;
      result.setAttribute('data-sealed', '');
      document.getElementById('ci-result-title').focus();
    });

    var copy = document.getElementById('ci-copy');
    copy.addEventListener('click', function () {
      var area = document.getElementById('ci-block');
      var done = function () { say(form.getAttribute('data-msg-copied')); };
      area.select();
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(area.value).then(done, function () { if (document.execCommand('copy')) done(); });
      } else if (document.execCommand('copy')) done();
    });
  }

  document.addEventListener('coachsite:content', function (e) { init(e.detail); });
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', function () { init(document); });
  } else {
    init(document);
  }
})();
