/* Offline reading and progress kept on the phone (docs/adr/0018-offline-and-slow-networks.md).
 * Loaded by every page (templates/base.html), from its <script id="offline-script"> with:
 *   data-sw                the service worker's URL (/sw.js: the root, so it controls every page)
 *   data-member            the signed-in user's id, empty for a visitor
 *   data-progress-endpoint where progress events go (POST /api/v1/learning/progress)
 *
 * 1. Registers the service worker, which keeps the pages the member opened for reading
 *    offline (templates/portal/service_worker.js).
 * 2. When the page is for someone else than the last one (a logout, another member on the
 *    same phone, a session that ended), empties the kept pages and images first.
 * 3. Off a step page (where static/learning/progress.js does it), sends the member's progress
 *    events still waiting in localStorage ("guiyan.progress.queue.<id>", written by
 *    progress.js): reading done offline is credited when the member next opens any page
 *    online. An event leaves the queue only once the server has answered for it; the server
 *    takes each event id once, so a page sending what another already sent is harmless.
 */
(function () {
  "use strict";

  var script = document.getElementById("offline-script");
  if (!script) return;
  var MEMBER_KEY = "guiyan.offline.member";
  var QUEUE_KEY = "guiyan.progress.queue.";
  var MAX_BATCH = 100;
  var member = script.getAttribute("data-member") || "";
  var storage = (function () {
    try {
      window.localStorage.getItem(MEMBER_KEY);
      return window.localStorage;
    } catch (e) {
      return null;
    }
  })();

  function forgetPages() {
    if (!window.caches) return Promise.resolve();
    return window.caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return /^guiyan-(pages|images)-/.test(name);
      }).map(function (name) { return window.caches.delete(name); }));
    });
  }

  function memberCheck() {
    if (!storage) return forgetPages(); // nothing remembers who read them: keep nothing
    if (storage.getItem(MEMBER_KEY) === member) return Promise.resolve();
    return forgetPages().then(function () { storage.setItem(MEMBER_KEY, member); });
  }

  function register() {
    var url = script.getAttribute("data-sw");
    if (!url || !("serviceWorker" in navigator) || !window.isSecureContext) return;
    navigator.serviceWorker.register(url, { scope: "/" }).catch(function () {});
  }

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function queue() {
    try {
      return JSON.parse(storage.getItem(QUEUE_KEY + member) || "[]");
    } catch (e) {
      return [];
    }
  }

  var sending = false;
  function flush() {
    var endpoint = script.getAttribute("data-progress-endpoint");
    if (sending || !storage || !member || !endpoint || document.getElementById("step-page")) return;
    var batch = queue().slice(0, MAX_BATCH);
    if (!batch.length || navigator.onLine === false) return;
    sending = true;
    fetch(endpoint, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify({ events: batch })
    })
      .then(function (response) {
        if (response.status !== 200) throw new Error("progress: HTTP " + response.status);
        return response.json();
      })
      .then(function (body) {
        var done = {};
        body.results.forEach(function (result) { done[result.id] = true; });
        // Read again: a step page in another tab may have changed the queue meanwhile.
        storage.setItem(QUEUE_KEY + member, JSON.stringify(queue().filter(function (event) {
          return !done[event.id];
        })));
        sending = false;
        if (batch.length === MAX_BATCH) flush();
      }, function () {
        sending = false; // kept: the next page, or the network coming back, sends it
      });
  }

  memberCheck().then(register, register);
  flush();
  window.addEventListener("online", flush);
})();
