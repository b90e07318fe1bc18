/* The family diary without signal (issue 26). Runs only where the page has an #outbox element
 * (the family's own diary page and the offline shell; never a clinician's view).
 *
 * - A "Cluster now" tap made while the phone is offline (or on the offline shell) is kept in
 *   this phone's outbox (IndexedDB "spasmcare-family", store "outbox") with a client key (a
 *   UUID) and the phone's local date and time (a tap at 23:58 belongs to that day on the phone).
 * - The outbox is sent when the phone is online: when the diary page loads and on the "online"
 *   event (Safari has no Background Sync). The server writes each key once, so sending again
 *   (two tabs, a lost answer) never writes twice. A tap the server refuses stays listed with
 *   the reason until removed; a tap for a day the clinic has not reached yet waits.
 * - The page says how many entries are waiting to be sent.
 * - Registers the service worker that serves the diary's shell offline.
 * Every form still works without this file when there is signal.
 */
(function () {
  "use strict";
  // words in the family's language (the catalogue script before this one; English without it,
  // e.g. on the offline shell)
  var _ = window.gettext || function (s) { return s; };
  function fill(fmt, values) {
    return fmt.replace(/%\((\w+)\)s/g, function (m, k) { return String(values[k]); });
  }
  var box = document.getElementById("outbox");
  if (!box || !window.indexedDB || !window.Promise) { return; }
  var DB = "spasmcare-family", STORE = "outbox", LAST = "spasmcare-family-last";
  var SENT = "spasmcare-family-sent";
  var shell = box.dataset.shell === "1";
  var here = (location.pathname.match(/^\/family\/(\d+)\//) || [])[1];
  var last = {};
  try { last = JSON.parse(localStorage.getItem(LAST) || "{}") || {}; } catch (e) { last = {}; }
  var pid = box.dataset.pid || here || last.pid;
  var user = box.dataset.user || last.user;
  var busy = false;

  if (!shell && pid && user) {
    try { localStorage.setItem(LAST, JSON.stringify({ pid: pid, user: user })); } catch (e) { /* private mode */ }
  }
  if ("serviceWorker" in navigator && box.dataset.sw) {
    navigator.serviceWorker.register(box.dataset.sw, { scope: box.dataset.scope }).catch(function () {});
  }

  // ---------------------------------------------------------------- the outbox (IndexedDB)
  function open() {
    return new Promise(function (ok, fail) {
      var request = indexedDB.open(DB, 1);
      request.onupgradeneeded = function () { request.result.createObjectStore(STORE, { keyPath: "key" }); };
      request.onsuccess = function () { ok(request.result); };
      request.onerror = function () { fail(request.error); };
    });
  }
  function run(mode, work) {
    return open().then(function (db) {
      return new Promise(function (ok, fail) {
        var t = db.transaction(STORE, mode);
        var request = work(t.objectStore(STORE));
        t.oncomplete = function () { db.close(); ok(request ? request.result : undefined); };
        t.onerror = t.onabort = function () { db.close(); fail(t.error); };
      });
    });
  }
  function all() { return run("readonly", function (s) { return s.getAll(); }); }
  function put(item) { return run("readwrite", function (s) { s.put(item); }); }
  function drop(key) { return run("readwrite", function (s) { s["delete"](key); }); }
  function mine(items) {
    return items.filter(function (i) { return String(i.pid) === String(pid) && String(i.user) === String(user); })
      .sort(function (a, b) { return (a.made || 0) - (b.made || 0); }); // in the order tapped
  }

  // ---------------------------------------------------------------- what the page says
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function localAt(d) {
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) +
      "T" + pad(d.getHours()) + ":" + pad(d.getMinutes());
  }
  function what(item) {
    var when = item.at.slice(0, 10) === localAt(new Date()).slice(0, 10) ? item.at.slice(11, 16) :
      fill(_("%(time)s on %(day)s"), { time: item.at.slice(11, 16), day: item.at.slice(0, 10) });
    return when + ": " + (item.spasms === 1 ? _("a single spasm") :
      fill(_("a cluster of %(n)s spasms"), { n: item.spasms }));
  }
  function line(parent, text, cls) {
    var p = document.createElement(parent.tagName === "UL" ? "li" : "p");
    p.textContent = text;
    if (cls) { p.className = cls; }
    parent.appendChild(p);
    return p;
  }
  var note = "";
  function show() {
    return all().then(function (items) {
      var list = mine(items);
      var waiting = list.filter(function (i) { return i.state !== "refused"; });
      var refused = list.filter(function (i) { return i.state === "refused"; });
      box.textContent = "";
      if (note) { line(box, note, "fam-note"); }
      if (waiting.length) {
        line(box, waiting.length === 1 ? _("One entry waiting to be sent") :
          fill(_("%(n)s entries waiting to be sent"), { n: waiting.length }), "fam-outbox-count");
        var ul = document.createElement("ul");
        ul.className = "fam-list small";
        waiting.forEach(function (i) { line(ul, what(i) + (i.reason ? " (" + i.reason + ")" : "")); });
        box.appendChild(ul);
        line(box, busy ? _("Sending…") :
          _("Kept on this phone: they are sent when the phone has signal and the diary is open."), "small muted");
      }
      refused.forEach(function (i) {
        var p = line(box, fill(_("Not saved: %(what)s."), { what: what(i) }) + " " + (i.reason || ""), "fam-warn");
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "btn secondary";
        remove.textContent = _("Remove from this phone");
        remove.addEventListener("click", function () { drop(i.key).then(show); });
        p.appendChild(document.createTextNode(" "));
        p.appendChild(remove);
      });
      if (shell && !pid) {
        line(box, _("Open the diary once with signal on this phone first; then taps can be kept here without signal."), "fam-warn");
      }
      box.hidden = !box.firstChild;
      box.dataset.waiting = String(waiting.length);
    });
  }

  // ---------------------------------------------------------------- a tap without signal
  function count(form, button) {
    var text = button && button.name === "spasms" ? button.value : (form.querySelector("[name=spasms_more]") || {}).value;
    return /^\d{1,6}$/.test(String(text || "").trim()) && Number(text) >= 1 ? Number(text) : 0;
  }
  function uuid() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var action = form.querySelector && form.querySelector("input[name=action]");
    if (!shell && navigator.onLine) { return; }
    if (!action || action.value !== "cluster") {
      if (shell || (form.method || "").toLowerCase() !== "post") { return; }
      // no signal: any other tap (undo, a dose, details, a video) needs the server
      event.preventDefault();
      event.stopImmediatePropagation();
      note = _("No signal: this was not sent. Only “Cluster now” taps are kept on this phone; try this again when the phone has signal.");
      show().then(function () { box.scrollIntoView({ block: "center" }); });
      return;
    }
    // no signal: keep the tap on the phone (the form's own handlers never see it)
    event.preventDefault();
    event.stopImmediatePropagation();
    var n = count(form, event.submitter || (tapped && tapped.form === form ? tapped : null));
    if (!n || !pid || !user) {
      note = !n ? _("Number of spasms: nothing was chosen; tap a number, or type a whole number of one or more.") :
        _("Open the diary once with signal on this phone first.");
      show();
      return;
    }
    var now = new Date();
    var item = { key: uuid(), pid: String(pid), user: String(user), at: localAt(now),
      offset_min: -now.getTimezoneOffset(), spasms: n, state: "waiting", made: now.getTime() };
    put(item).then(function () {
      var details = document.getElementById("cluster");
      if (details) { details.open = false; }
      note = fill(_("Kept on this phone: %(what)s."), { what: what(item) });
      return show();
    }, function () {
      note = _("Not kept: this phone's browser does not allow storing it (a private window?). Write it down and log it when the phone has signal.");
      box.hidden = false;
      box.textContent = "";
      line(box, note, "fam-warn");
    });
  }, true);
  // the number tapped, for a browser that does not name the submitting button
  var tapped = null;
  document.addEventListener("click", function (event) {
    tapped = event.target.closest ? event.target.closest("button[name=spasms]") : null;
  }, true);

  // ---------------------------------------------------------------- sending
  function token() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }
  function post(item) {
    var body = new URLSearchParams({ key: item.key, at: item.at, offset_min: String(item.offset_min),
      spasms: String(item.spasms), csrfmiddlewaretoken: token() });
    return fetch(box.dataset.outboxUrl, {
      method: "POST", body: body, credentials: "same-origin", redirect: "manual",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      if (response.status === 200 || response.status === 201) {
        return drop(item.key).then(function () { return "sent"; });
      }
      if (response.status === 400 || response.status === 409) {
        return response.json().then(function (answer) {
          item.reason = answer.message || "";
          if (response.status === 400) { item.state = "refused"; }
          return put(item).then(function () { return "kept"; });
        });
      }
      return "stop"; // signed out, a server error: keep everything, try on the next load
    }, function () { return "offline"; });
  }
  // The "online" event can come before the network really answers, and a phone on a weak
  // signal may say it is online while nothing gets through: try again, waiting longer each
  // time (5 s, doubling, at most a minute).
  var wait = 5000, timer = null;
  function later(work) {
    if (timer) { return; }
    timer = setTimeout(function () { timer = null; work(); }, wait);
    wait = Math.min(wait * 2, 60000);
  }
  function send() {
    if (shell || busy || !navigator.onLine || !box.dataset.outboxUrl || !token()) { return Promise.resolve(0); }
    busy = true;
    var sent = 0;
    return all().then(function (items) {
      var waiting = mine(items).filter(function (i) { return i.state !== "refused"; });
      return waiting.reduce(function (chain, item) {
        return chain.then(function (go) {
          if (!go) { return false; }
          return post(item).then(function (outcome) {
            if (outcome === "sent") { sent += 1; }
            if (outcome === "offline") { later(send); }
            return outcome !== "stop" && outcome !== "offline";
          });
        });
      }, Promise.resolve(true));
    }).then(function () {
      busy = false;
      if (sent) {
        // show the sent entries in today's list
        try { sessionStorage.setItem(SENT, String(sent)); } catch (e) { /* private mode */ }
        location.reload();
        return sent;
      }
      return show().then(function () { return 0; });
    }, function () { busy = false; return show().then(function () { return 0; }); });
  }

  // Back online on the shell: once the server answers, open the diary itself (it sends).
  function reopen() {
    if (!navigator.onLine) { return; }
    fetch(box.dataset.sw, { method: "HEAD", cache: "no-store", credentials: "same-origin" }).then(function (r) {
      if (!r.ok) { later(reopen); return; }
      if (location.pathname.indexOf("/family/offline/") === 0) { location.href = "/family/"; } else { location.reload(); }
    }, function () { later(reopen); });
  }
  window.addEventListener("online", function () {
    wait = 5000;
    if (shell) { reopen(); } else { send(); }
  });
  window.addEventListener("offline", function () { show(); });
  var sentBefore = 0;
  try { sentBefore = Number(sessionStorage.getItem(SENT) || 0); sessionStorage.removeItem(SENT); } catch (e) { sentBefore = 0; }
  if (sentBefore) {
    note = sentBefore + (sentBefore === 1 ? " entry was" : " entries were") + " sent from this phone and saved.";
  }
  if (shell && /\/log\/$/.test(location.pathname)) {
    note = _("No signal: the last tap was not sent. A cluster can be logged again here; it is kept on this phone until it is sent.");
  }
  show().then(function () {
    if (!shell) { return send(); }
    if (navigator.onLine) { later(reopen); } // the shell shown on a weak signal
  });
})();
