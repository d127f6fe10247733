{% load i18n %}/* Guiyan's service worker (docs/adr/0018-offline-and-slow-networks.md), served at the
 * site's root (/sw.js) so that it controls every member page. Rendered by
 * portal.content.views.service_worker: VERSION is a digest of this template, so changing it
 * starts new caches and the old ones are deleted when the new worker takes over.
 *
 * What it keeps, at most LIMITS entries each, oldest written first out:
 *   pages   pages the member opened (network first; the copy answers only when offline)
 *   static  collected files with a content hash in their names (cache first: they never change)
 *   images  image renditions of study pages (cache first: a changed image gets a new name)
 * What it never keeps: anything but GET; the paths in NEVER (the admin, the API, login and
 * activation, documents, liaisons' pages, the member's /me/ pages); responses marked no-store
 * (the inbox); redirects; videos.
 * Logging out (a POST to LOGOUT) and a page telling it another member or nobody is signed in
 * (static/portal/offline.js) empty pages and images.
 */
"use strict";

var VERSION = "{{ version }}";
var PREFIX = "guiyan-";
var CACHES = { pages: PREFIX + "pages-" + VERSION, static: PREFIX + "static-" + VERSION, images: PREFIX + "images-" + VERSION };
var LIMITS = { pages: 40, static: 60, images: 80 };
var NEVER = {{ never|safe }};
var LOGOUT = "{{ logout }}";
var STATIC_URL = "{{ static_url }}";
var IMAGES_URL = "{{ images_url }}";
var HASHED = /\.[0-9a-f]{12}\.[A-Za-z0-9]+$/;
var OFFLINE_PAGE = {{ offline_page|safe }};

self.addEventListener("install", function () { self.skipWaiting(); });

self.addEventListener("activate", function (event) {
  var current = Object.keys(CACHES).map(function (name) { return CACHES[name]; });
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf(PREFIX) === 0 && current.indexOf(name) === -1;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); })
  );
});

// What one member saw is not for the next one on the same phone.
function forget() {
  return Promise.all([caches.delete(CACHES.pages), caches.delete(CACHES.images)]);
}

self.addEventListener("message", function (event) {
  if (!event.data || event.data.type !== "forget") return;
  var port = event.ports && event.ports[0];
  event.waitUntil(forget().then(function () { if (port) port.postMessage("forgotten"); }));
});

function trim(name) {
  return caches.open(name).then(function (cache) {
    return cache.keys().then(function (keys) {
      var extra = keys.length - LIMITS[Object.keys(CACHES).filter(function (k) { return CACHES[k] === name; })[0]];
      return Promise.all(keys.slice(0, Math.max(0, extra)).map(function (key) { return cache.delete(key); }));
    });
  });
}

function keepable(response) {
  return response && response.ok && response.type === "basic" && !response.redirected &&
    !/no-store/.test(response.headers.get("Cache-Control") || "");
}

function put(name, request, response) {
  return caches.open(name)
    .then(function (cache) { return cache.put(request, response); })
    .then(function () { return trim(name); });
}

function offlinePage() {
  return new Response(OFFLINE_PAGE, {
    status: 503,
    headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" }
  });
}

function networkFirst(event, name, fallback) {
  var request = event.request;
  return fetch(request).then(function (response) {
    if (keepable(response)) event.waitUntil(put(name, request, response.clone()));
    return response;
  }, function (error) {
    return caches.open(name)
      .then(function (cache) { return cache.match(request, { ignoreVary: true }); })
      .then(function (cached) {
        if (cached) return cached;
        if (fallback) return fallback();
        throw error;
      });
  });
}

function cacheFirst(event, name) {
  var request = event.request;
  return caches.open(name)
    .then(function (cache) { return cache.match(request, { ignoreVary: true }); })
    .then(function (cached) {
      if (cached) return cached;
      return fetch(request).then(function (response) {
        if (keepable(response)) event.waitUntil(put(name, request, response.clone()));
        return response;
      });
    });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST" && url.pathname === LOGOUT) {
    event.waitUntil(forget());
    return;
  }
  if (request.method !== "GET") return;
  if (NEVER.some(function (prefix) { return url.pathname.indexOf(prefix) === 0; })) return;
  if (request.mode === "navigate") {
    event.respondWith(networkFirst(event, CACHES.pages, offlinePage));
  } else if (url.pathname.indexOf(STATIC_URL) === 0) {
    // Unhashed files (development) may change under the same name: the network decides.
    event.respondWith(HASHED.test(url.pathname) ? cacheFirst(event, CACHES.static) : networkFirst(event, CACHES.static));
  } else if (url.pathname.indexOf(IMAGES_URL) === 0) {
    event.respondWith(cacheFirst(event, CACHES.images));
  }
});
