/* The family diary's service worker (served as /family/sw.js: its scope is the family's pages).
 *
 * What it stores: the diary's shell (a page with no patient, no user and no form token) and the
 * static files the shell uses, listed by the server in CONFIG.precache, in one cache named by
 * a hash of exactly those files. Nothing else is ever put in a cache: no diary page, no
 * patient's data, no video, and no clinician page (they are outside this worker's scope).
 *
 * How it answers: a page of the family (a navigation) from the network, and only when the
 * network cannot be reached, the shell, whose buttons keep taps in the phone's outbox
 * (web/outbox.js); a stored static file from the network, falling back to its stored copy
 * offline; anything else is not touched. A new version (any listed file changed) installs,
 * takes over at once and deletes the caches of older versions.
 */
"use strict";

const CONFIG = __CONFIG__;

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CONFIG.cache).then(function (cache) {
      // without cookies: the shell is the same for everyone and holds nobody's data
      return cache.addAll(CONFIG.precache.map(function (url) {
        return new Request(url, { cache: "reload", credentials: "omit" });
      }));
    }).then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf(CONFIG.prefix) === 0 && name !== CONFIG.cache;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function stored(path) {
  return caches.open(CONFIG.cache).then(function (cache) { return cache.match(path); });
}

self.addEventListener("fetch", function (event) {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (request.mode === "navigate") {
    if (url.pathname.indexOf(CONFIG.scope) !== 0) { return; }
    event.respondWith(fetch(request).catch(function () {
      return stored(CONFIG.shell).then(function (shell) { return shell || Response.error(); });
    }));
    return;
  }
  if (request.method === "GET" && CONFIG.precache.indexOf(url.pathname) !== -1 && !url.search) {
    event.respondWith(fetch(request).catch(function () {
      return stored(url.pathname).then(function (copy) { return copy || Response.error(); });
    }));
  }
});
