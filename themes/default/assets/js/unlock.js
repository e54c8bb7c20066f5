// unlock.js: opens a sealed coachsite page in the browser with WebCrypto.
// The wire format, the markup contract, the events and the storage keys are
// specified in docs/privacy.md; generator/seal writes the other side.
//
// Page contract, in short:
//   <script type="application/json" id="sealed">{"v":3,"id":…}</script>
//   <main data-sealed-root> … optional <form id="unlock"> … </main>
// The passphrase is tried against the recipients of the payload one after
// another, the coach's last (PBKDF2-SHA256 → key-encryption key → AES-GCM
// unwrap of the portal key) until one accepts it, then the page is
// decrypted (AES-256-GCM) and put in place of the root's children. The coach's
// passphrase also unwraps the coach-only key, and the coach's version is shown.
// Pages are sealed compressed (raw DEFLATE): DecompressionStream inflates them.
//
// No eval, no Function, no inline handlers, no inline styles, no network: it
// runs under Content-Security-Policy script-src 'self'; style-src 'self'.
(function () {
  'use strict';

  var VERSION = 3;
  var KDF = 'PBKDF2-SHA256';
  var AAD_PAGE = 'coachsite/3/page';
  var AAD_WRAP = 'coachsite/1/wrap';
  var STORE_PREFIX = 'coachsite:key:';
  var COACH_KEY = 'coachsite:coach';
  var LOCK_KEY = 'coachsite:lock';
  // An unfinished check-in the client chose to keep (checkin.js): Lock forgets it too.
  var CHECK_IN_PREFIX = 'coachsite:check-in:';
  var MAX_ITER = 10000000;
  // How long "Remember on this device" keeps keys: 30 days from the unlock
  // (not extended by use). The form's text says so.
  var REMEMBER_DAYS = 30;
  var REMEMBER_MS = REMEMBER_DAYS * 24 * 60 * 60 * 1000;

  var MESSAGES = {
    title: 'This page is private',
    intro: 'Enter your passphrase to open it. It is decrypted here, in your browser.',
    label: 'Passphrase',
    remember: 'Remember on this device for 30 days',
    show: 'Show passphrase',
    submit: 'Unlock',
    busy: 'Unlocking…',
    wrong: 'That passphrase does not open this page. Check it and try again.',
    empty: 'Enter your passphrase.',
    nocrypto: 'This page cannot be opened here: the browser’s encryption (WebCrypto) is only available over https:// or from a file on this device. Open the https:// address, or a copy saved on this device.',
    old: 'This browser is too old to open this page. Update it (on an iPhone or iPad: iOS 16.4 or later), or open the page in another browser.',
    broken: 'This page is damaged or from a newer version of coachsite, and cannot be opened.',
    changed: 'This page has changed since you last opened it. Enter your passphrase again.',
    lock: 'Lock',
    lockHint: 'Forget every key on this device, and ask for the passphrase again'
  };

  var enc = new TextEncoder();

  // The address of this script, <site root>/assets/js/unlock.js, gives the
  // site's root, and so the page's path that the payload is bound to.
  var SCRIPT_SRC = (document.currentScript && document.currentScript.src) || '';
  var SCRIPT_PATH = /assets\/js\/unlock\.js(?:[?#].*)?$/;

  function b64decode(s) {
    var bin = atob(s);
    var out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }

  function b64encode(bytes) {
    var s = '';
    for (var i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
    return btoa(s);
  }

  // pagePath is this page's path relative to the site's root, as
  // seal.PagePath writes it: no final "index.html" or slash. It is null when
  // the root cannot be told (the script was not loaded from the site).
  function pagePath() {
    var src = SCRIPT_SRC;
    if (!src) {
      var scripts = document.getElementsByTagName('script');
      for (var i = 0; i < scripts.length && !src; i++) {
        if (SCRIPT_PATH.test(scripts[i].src || '')) src = scripts[i].src;
      }
    }
    if (!SCRIPT_PATH.test(src)) return null;
    var root = src.replace(SCRIPT_PATH, '');
    var here = window.location.href.split('#')[0].split('?')[0];
    if (here.indexOf(root) !== 0) return null;
    var rel;
    try {
      rel = decodeURIComponent(here.slice(root.length));
    } catch (e) {
      return null;
    }
    if (rel === 'index.html') return '';
    return rel.replace(/\/index\.html$/, '').replace(/\/+$/, '');
  }

  function pageAAD(payload, part) {
    return enc.encode(AAD_PAGE + '\u0000' + payload.id + '\u0000' + payload.page + '\u0000' + part);
  }

  // unpad drops the padding seal.Pad adds: zero bytes after an 0x80 marker.
  function unpad(b) {
    var i = b.length - 1;
    while (i >= 0 && b[i] === 0) i--;
    if (i < 0 || b[i] !== 0x80) throw new Error('padding');
    return b.subarray(0, i);
  }

  function wrapAAD(id, recipient, part) {
    return enc.encode(AAD_WRAP + '\u0000' + id + '\u0000' + recipient + '\u0000' + part);
  }

  // gcmOpen decrypts nonce(12) || ciphertext || tag(16) and resolves to the
  // plaintext bytes; it rejects on any wrong key or tampered byte.
  async function gcmOpen(key, sealed, aad) {
    if (sealed.length < 28) throw new Error('short');
    var pt = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: sealed.subarray(0, 12), additionalData: aad, tagLength: 128 },
      key, sealed.subarray(12));
    return new Uint8Array(pt);
  }

  function importAES(raw) {
    return crypto.subtle.importKey('raw', raw, { name: 'AES-GCM' }, false, ['decrypt']);
  }

  // tryRecipient derives the key-encryption key of one recipient from the
  // passphrase and unwraps the portal key (and the coach-only key if the
  // entry has one). It rejects when the passphrase is not this recipient's.
  async function tryRecipient(payload, base, r) {
    if (typeof r.i !== 'number' || r.i < 1 || r.i > MAX_ITER) throw new Error('iterations');
    var bits = await crypto.subtle.deriveBits(
      { name: 'PBKDF2', hash: 'SHA-256', salt: b64decode(r.s), iterations: r.i }, base, 256);
    var keys = await unwrapWith(payload, r, new Uint8Array(bits));
    keys.kek = new Uint8Array(bits);
    keys.r = r;
    return keys;
  }

  // unwrapWith unwraps the portal key (and the coach-only key if the entry
  // has one) of recipient r with its raw key-encryption key; it rejects when
  // the key is not this recipient's.
  async function unwrapWith(payload, r, rawKEK) {
    var kek = await importAES(rawKEK);
    var keys = { k: await gcmOpen(kek, b64decode(r.k), wrapAAD(payload.id, r.id, 'main')), c: null };
    if (r.c && payload.cc) {
      try {
        keys.c = await gcmOpen(kek, b64decode(r.c), wrapAAD(payload.id, r.id, 'coach'));
      } catch (e) {
        keys.c = null;
      }
    }
    return keys;
  }

  // unwrap tries the passphrase against the recipients one after another,
  // the coach's last, and resolves to {k, c, kek, r} (raw keys, and the
  // recipient entry that matched) at the first that accepts it: no two
  // readers share a passphrase (the build refuses that). So a client, who
  // reads on a phone, waits for one key derivation and leaves the phone's
  // cores to drawing the page; the coach waits for two, once per tab (the
  // coach's key is then kept). It resolves to null when no recipient
  // accepts the passphrase.
  async function unwrap(payload, passphrase) {
    var base = await crypto.subtle.importKey('raw', enc.encode(passphrase), 'PBKDF2', false, ['deriveBits']);
    var order = payload.r.filter(function (r) { return r.id !== 'coach'; })
      .concat(payload.r.filter(function (r) { return r.id === 'coach'; }));
    for (var i = 0; i < order.length; i++) {
      try {
        return await tryRecipient(payload, base, order[i]);
      } catch (e) {
        // Not this recipient's passphrase: try the next.
      }
    }
    return null;
  }

  // inflate resolves to the text of raw DEFLATE bytes (seal.Deflate).
  function inflate(bytes) {
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
    return new Response(stream).text();
  }

  // decryptPage resolves to {html, coach} with the given raw keys, or rejects.
  async function decryptPage(payload, keys) {
    if (keys.c && payload.cc) {
      try {
        var c = await gcmOpen(await importAES(keys.c), b64decode(payload.cc), pageAAD(payload, 'coach'));
        return { html: await inflate(unpad(c)), coach: true };
      } catch (e) {
        // Fall through to the version every reader sees.
      }
    }
    var m = await gcmOpen(await importAES(keys.k), b64decode(payload.ct), pageAAD(payload, 'main'));
    return { html: await inflate(unpad(m)), coach: false };
  }

  // Storage (docs/privacy.md, "Browser storage"). Two kinds of entry, both
  // JSON, neither ever the passphrase:
  //   coachsite:key:<id>  {"v":2,"k":…,"c":…}  the unwrapped content keys of
  //                       one portal (c: the coach-only key, for the coach)
  //   coachsite:coach     {"v":2,"s":…,"i":…,"kek":…}  the coach's
  //                       key-encryption key and the salt and iterations it
  //                       belongs to: it unwraps every portal's keys, so the
  //                       coach types the passphrase once per tab session
  // Both live in sessionStorage (this tab) after an unlock, and also in
  // localStorage with an expiry "e" (ms since 1970) when "Remember on this
  // device" was ticked. Storage may be missing or throw (a private window, a
  // blocked file:// origin): every use is guarded.
  var STORE_VERSION = 2;

  function storage(kind) {
    try {
      var s = window[kind];
      return s || null;
    } catch (e) {
      return null;
    }
  }

  function getJSON(kind, key) {
    var s = storage(kind);
    if (!s) return null;
    try {
      var raw = s.getItem(key);
      if (!raw) return null;
      var v = JSON.parse(raw);
      if (!v || v.v !== STORE_VERSION) throw new Error('version');
      if (typeof v.e === 'number' && v.e <= Date.now()) throw new Error('expired');
      return v;
    } catch (e) {
      // Damaged, of another version, or expired: forgotten.
      try { s.removeItem(key); } catch (e2) { /* blocked */ }
      return null;
    }
  }

  function setJSON(kind, key, v) {
    var s = storage(kind);
    try { if (s) s.setItem(key, JSON.stringify(v)); } catch (e) { /* full or blocked */ }
  }

  function removeKey(kind, key) {
    var s = storage(kind);
    try { if (s) s.removeItem(key); } catch (e) { /* blocked */ }
  }

  // readEntry returns the entry of key from this tab or, remembered and not
  // expired, from this device: the tab's copy first, but a remembered copy
  // is never dropped because the tab has one too.
  function readEntry(key) {
    return getJSON('sessionStorage', key) || getJSON('localStorage', key);
  }

  // writeEntry keeps v for this tab and, when remember is true, on this
  // device until REMEMBER_MS from now; remember false removes the device's
  // copy (the reader chose not to be remembered); remember null leaves it.
  function writeEntry(key, v, remember) {
    setJSON('sessionStorage', key, v);
    if (remember === true) {
      var r = {};
      for (var k in v) if (Object.prototype.hasOwnProperty.call(v, k)) r[k] = v[k];
      r.e = Date.now() + REMEMBER_MS;
      setJSON('localStorage', key, r);
    } else if (remember === false) {
      removeKey('localStorage', key);
    }
  }

  function readPortalKeys(id) {
    var v = readEntry(STORE_PREFIX + id);
    if (!v || typeof v.k !== 'string') return null;
    try {
      return { k: b64decode(v.k), c: typeof v.c === 'string' ? b64decode(v.c) : null };
    } catch (e) {
      return null;
    }
  }

  function writePortalKeys(id, keys, remember) {
    var v = { v: STORE_VERSION, k: b64encode(keys.k) };
    if (keys.c) v.c = b64encode(keys.c);
    writeEntry(STORE_PREFIX + id, v, remember);
  }

  // readCoachKEK returns the coach's stored key-encryption key if it belongs
  // to this payload's coach entry (same salt and iterations: same site, same
  // coach), else null.
  function readCoachKEK(payload) {
    var v = readEntry(COACH_KEY);
    if (!v || typeof v.kek !== 'string') return null;
    for (var i = 0; i < payload.r.length; i++) {
      var r = payload.r[i];
      if (r.id === 'coach' && r.s === v.s && r.i === v.i) {
        try {
          return { r: r, kek: b64decode(v.kek) };
        } catch (e) {
          return null;
        }
      }
    }
    return null;
  }

  function writeCoachKEK(r, kek, remember) {
    writeEntry(COACH_KEY, { v: STORE_VERSION, s: r.s, i: r.i, kek: b64encode(kek) }, remember);
  }

  // forgetAll removes every key this script keeps, in this tab and on this
  // device: Lock forgets everything, whichever page it is pressed on.
  function forgetAll() {
    var kinds = ['sessionStorage', 'localStorage'];
    for (var i = 0; i < kinds.length; i++) {
      var s = storage(kinds[i]);
      if (!s) continue;
      try {
        var doomed = [];
        for (var j = 0; j < s.length; j++) {
          var k = s.key(j);
          if (k && (k.indexOf(STORE_PREFIX) === 0 || k === COACH_KEY || k.indexOf(CHECK_IN_PREFIX) === 0)) doomed.push(k);
        }
        for (var d = 0; d < doomed.length; d++) s.removeItem(doomed[d]);
      } catch (e) { /* blocked */ }
    }
  }

  // lock forgets every key in this tab and on this device, tells the other
  // tabs of this browser to forget theirs too, and reloads the locked page.
  function lock() {
    forgetAll();
    var ls = storage('localStorage');
    try {
      if (ls) {
        ls.setItem(LOCK_KEY, '* ' + Math.random().toString(36).slice(2));
        ls.removeItem(LOCK_KEY);
      }
    } catch (e) { /* blocked */ }
    window.location.reload();
  }

  // The form: the page's own <form id="unlock"> if it has one (docs/privacy.md
  // gives the markup, which themes may localize through data-msg-* attributes),
  // else one built here.
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs) if (Object.prototype.hasOwnProperty.call(attrs, k)) e.setAttribute(k, attrs[k]);
    if (text) e.textContent = text;
    return e;
  }

  function msg(form, name) {
    var v = form && form.getAttribute('data-msg-' + name.replace(/[A-Z]/g, function (c) { return '-' + c.toLowerCase(); }));
    return v || MESSAGES[name];
  }

  function buildForm(root) {
    var form = el('form', { id: 'unlock', 'class': 'unlock', 'aria-labelledby': 'unlock-title', novalidate: '' });
    form.appendChild(el('h1', { id: 'unlock-title' }, MESSAGES.title));
    form.appendChild(el('p', { 'class': 'unlock-intro' }, MESSAGES.intro));
    form.appendChild(el('input', { id: 'unlock-user', name: 'username', type: 'text', autocomplete: 'username', readonly: '', hidden: '' }));
    form.appendChild(el('label', { 'for': 'unlock-passphrase' }, MESSAGES.label));
    var field = el('p', { 'class': 'unlock-field' });
    field.appendChild(el('input', {
      id: 'unlock-passphrase', name: 'passphrase', type: 'password', autocomplete: 'current-password',
      autocapitalize: 'none', spellcheck: 'false', required: '', 'aria-describedby': 'unlock-status'
    }));
    field.appendChild(el('button', { type: 'button', id: 'unlock-show', 'class': 'unlock-show', 'aria-controls': 'unlock-passphrase', 'aria-pressed': 'false', hidden: '' }, MESSAGES.show));
    form.appendChild(field);
    var remember = el('p', { 'class': 'unlock-remember' });
    remember.appendChild(el('input', { id: 'unlock-remember', name: 'remember', type: 'checkbox' }));
    remember.appendChild(el('label', { 'for': 'unlock-remember' }, MESSAGES.remember));
    form.appendChild(remember);
    form.appendChild(el('button', { type: 'submit', id: 'unlock-submit' }, MESSAGES.submit));
    form.appendChild(el('p', { id: 'unlock-status', 'class': 'unlock-status', role: 'alert', 'aria-live': 'assertive' }));
    root.insertBefore(form, root.firstChild);
    return form;
  }

  function setStatus(form, text, isError) {
    var status = document.getElementById('unlock-status');
    if (status) {
      status.textContent = text;
      status.classList.toggle('unlock-error', !!isError);
    }
    var input = document.getElementById('unlock-passphrase');
    if (input) {
      if (isError) input.setAttribute('aria-invalid', 'true');
      else input.removeAttribute('aria-invalid');
    }
  }

  function setBusy(form, busy) {
    form.setAttribute('aria-busy', busy ? 'true' : 'false');
    var controls = form.querySelectorAll('input, button');
    for (var i = 0; i < controls.length; i++) controls[i].disabled = busy;
  }

  // linkFiles turns each <a data-sealed-file="ID"> of the decrypted page into
  // a download of the data block <script type="application/json" id="ID"
  // data-type="text/csv">"…"</script>: data files
  // (CSV, JSON exports) travel inside the sealed page, never beside it.
  function linkFiles(root) {
    var links = root.querySelectorAll('a[data-sealed-file]');
    for (var i = 0; i < links.length; i++) {
      var block = document.getElementById(links[i].getAttribute('data-sealed-file'));
      if (!block || block.tagName !== 'SCRIPT') continue;
      // The file's text is a JSON string (HTML-safe whatever the file holds)
      // of media type data-type.
      var text;
      try {
        text = JSON.parse(block.textContent);
      } catch (e) {
        continue;
      }
      if (typeof text !== 'string') continue;
      var type = block.getAttribute('data-type') || 'text/plain';
      var blob = new Blob([text], { type: type + ';charset=utf-8' });
      links[i].setAttribute('href', URL.createObjectURL(blob));
      if (!links[i].hasAttribute('download')) links[i].setAttribute('download', '');
    }
  }

  // show puts the decrypted page in place and tells the other scripts.
  function show(root, form, payload, page) {
    var lockLabel = msg(form, 'lock');
    var lockHint = msg(form, 'lockHint');
    if (form) form.hidden = true; // when the theme put it outside the root
    root.innerHTML = page.html;
    linkFiles(root);
    var bar = el('div', { 'class': 'sealed-bar' });
    var button = el('button', { type: 'button', 'class': 'lock-button', id: 'lock-button', title: lockHint }, lockLabel);
    button.addEventListener('click', lock);
    bar.appendChild(button);
    root.insertBefore(bar, root.firstChild);
    var doc = document.documentElement;
    doc.setAttribute('data-unlocked', page.coach ? 'coach' : 'reader');
    doc.removeAttribute('data-locked');
    root.dispatchEvent(new CustomEvent('coachsite:content', { bubbles: true, detail: root }));
    document.dispatchEvent(new CustomEvent('coachsite:unlocked', { detail: { id: payload.id, coach: page.coach, root: root } }));
    // Move focus to the page's heading, for keyboard and screen reader
    // users; after the other scripts have set the page up, so that the
    // browser lays it out once, not once before and again after.
    var heading = root.querySelector('h1') || root;
    if (!heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1');
    heading.focus();
  }

  function readPayload() {
    var block = document.getElementById('sealed');
    if (!block) return null;
    try {
      var p = JSON.parse(block.textContent);
      var page = pagePath();
      if (p && p.v === VERSION && p.kdf === KDF && typeof p.id === 'string' && p.id &&
          Array.isArray(p.r) && p.r.length && typeof p.ct === 'string' && page !== null) {
        p.page = page; // where this payload was found: bound into its AAD
        return p;
      }
    } catch (e) {
      // Falls through to the "damaged" message.
    }
    return false;
  }

  function hasCrypto() {
    return !!(window.crypto && window.crypto.subtle && window.isSecureContext !== false &&
      typeof window.TextEncoder === 'function');
  }

  // canInflate: DecompressionStream("deflate-raw") is in Safari 16.4, Chrome
  // 103 and Firefox 113 and later; older browsers are asked to update.
  function canInflate() {
    if (typeof window.DecompressionStream !== 'function' || typeof window.Blob !== 'function' ||
        typeof window.Response !== 'function') return false;
    try {
      new DecompressionStream('deflate-raw');
      return true;
    } catch (e) {
      return false;
    }
  }

  // showToggle wires the form's "Show passphrase" button (a toggle button:
  // aria-pressed says whether the passphrase is shown as text). Its words
  // are the theme's; it stays hidden where there is no script.
  function showToggle(input) {
    var button = document.getElementById('unlock-show');
    if (!button || !input) return;
    button.hidden = false;
    button.addEventListener('click', function () {
      var shown = input.type === 'password';
      input.type = shown ? 'text' : 'password';
      button.setAttribute('aria-pressed', shown ? 'true' : 'false');
      input.focus();
    });
  }

  // openStored opens the page without a passphrase when this tab or device
  // holds its portal's keys, or the coach's key-encryption key: it resolves
  // to the page, or null (and forgets keys that no longer open it).
  async function openStored(payload) {
    var keys = readPortalKeys(payload.id);
    if (keys) {
      try {
        var page = await decryptPage(payload, keys);
        writePortalKeys(payload.id, keys, null); // this tab too; the device's copy stays as it is
        return page;
      } catch (e) {
        // The portal was rebuilt with new keys (a passphrase changed).
        removeKey('sessionStorage', STORE_PREFIX + payload.id);
        removeKey('localStorage', STORE_PREFIX + payload.id);
      }
    }
    var coach = readCoachKEK(payload);
    if (coach) {
      try {
        keys = await unwrapWith(payload, coach.r, coach.kek);
        var opened = await decryptPage(payload, keys);
        writePortalKeys(payload.id, keys, null);
        return opened;
      } catch (e) {
        // The coach's passphrase changed: ask for it again.
        removeKey('sessionStorage', COACH_KEY);
        removeKey('localStorage', COACH_KEY);
      }
    }
    return keys || coach ? false : null;
  }

  async function start() {
    var payload = readPayload();
    if (payload === null) return; // not a sealed page
    var root = document.querySelector('[data-sealed-root]') || document.querySelector('main') || document.body;
    var form = document.getElementById('unlock') || buildForm(root);
    var input = document.getElementById('unlock-passphrase');
    var remember = document.getElementById('unlock-remember');
    document.documentElement.setAttribute('data-locked', '');

    if (!payload) {
      setBusy(form, true);
      setStatus(form, msg(form, 'broken'), true);
      document.documentElement.setAttribute('data-unlock-ready', 'broken');
      return;
    }
    if (!hasCrypto()) {
      setBusy(form, true);
      setStatus(form, msg(form, 'nocrypto'), true);
      document.documentElement.setAttribute('data-unlock-ready', 'nocrypto');
      return;
    }
    if (!canInflate()) {
      setBusy(form, true);
      setStatus(form, msg(form, 'old'), true);
      document.documentElement.setAttribute('data-unlock-ready', 'old');
      return;
    }
    // A password manager files the passphrase under this portal's id.
    var user = document.getElementById('unlock-user');
    if (user) user.value = payload.id;
    showToggle(input);

    // Lock in another tab: forget everything here too.
    window.addEventListener('storage', function (e) {
      if (e.key === LOCK_KEY && e.newValue) {
        forgetAll();
        if (document.documentElement.hasAttribute('data-unlocked')) window.location.reload();
      }
    });

    form.addEventListener('submit', async function (ev) {
      ev.preventDefault();
      var pass = (input.value || '').normalize('NFC').trim();
      if (!pass) {
        setStatus(form, msg(form, 'empty'), true);
        input.focus();
        return;
      }
      setBusy(form, true);
      setStatus(form, msg(form, 'busy'), false);
      var page = null;
      var keys = null;
      try {
        keys = await unwrap(payload, pass);
        if (keys) page = await decryptPage(payload, keys);
      } catch (e) {
        page = null;
      }
      setBusy(form, false);
      if (!page) {
        setStatus(form, msg(form, 'wrong'), true);
        input.focus();
        input.select();
        return;
      }
      input.value = '';
      input.type = 'password';
      var keep = !!(remember && remember.checked);
      writePortalKeys(payload.id, keys, keep);
      // The coach's key opens every portal of the site: one unlock for the
      // coach, under the same rules (this tab; the device only when asked).
      if (keys.r && keys.r.id === 'coach') writeCoachKEK(keys.r, keys.kek, keep);
      show(root, form, payload, page);
    });

    var stored = await openStored(payload);
    if (stored) {
      show(root, form, payload, stored);
      return;
    }
    if (stored === false) setStatus(form, msg(form, 'changed'), false);
    document.documentElement.setAttribute('data-unlock-ready', '');
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
