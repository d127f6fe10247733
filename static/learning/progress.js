/* Progress reporting for a step page (templates/learning/step_*.html), no framework.
 *
 * What the templates give and the browser tests may rely on (keep these stable):
 *   #step-page            the step's <article>: data-step, data-track, data-kind
 *                         ("material" or "lecture"), data-member (the user's id: whose queue),
 *                         data-endpoint (POST /api/v1/learning/progress),
 *                         data-csrf-token (used if there is no csrftoken cookie),
 *                         data-completed ("true" or "false"), data-offline-text,
 *                         data-heartbeat-seconds and data-heartbeat-max (the reading interval and
 *                         the longest claim the server takes), data-pending-seconds (played video
 *                         the server keeps but has not counted yet)
 *   #lecture-player       a lecture's <video>: data-step, data-track, data-position (where the
 *                         member left off, seconds), data-duration
 *   #step-progress        <progress max="100">: the share done, as the server last said
 *   #step-progress-label  its text; the number before "%" is updated
 *   #step-status          hidden until the server says the step is completed
 *   #step-network         says so while reports wait for the network
 *
 * Reading: a heartbeat every data-heartbeat-seconds while the page is visible, with the
 * visible seconds since the last one, and one more when the page is hidden; hidden time is
 * never claimed, and a gap longer than data-heartbeat-max (the page slept) claims nothing.
 * Video: the parts actually played, built from timeupdate (a seek starts a new segment, so
 * skipped parts are never reported), sent every interval, on pause and end, and when the page
 * is hidden. While the server keeps played parts it has not counted yet (the member's
 * attention clock pays them as time passes), the visible page reports its position every
 * interval so that they are counted.
 *
 * Every event has its own UUID and waits in localStorage ("guiyan.progress.queue.<user id>":
 * one queue per member, so that nobody else signing in on the phone sends it) until the
 * server has answered for it (accepted, duplicate or refused), across reloads, closing the
 * browser and days offline; static/portal/offline.js sends what waits from any other page.
 * Several requests may be in flight: a stalled one holds back only its own events, which go again
 * after a timeout; failures are retried with backoff, and a page being hidden or closed sends
 * what waits with keepalive. The server de-duplicates, so sending twice is harmless.
 */
(function () {
  "use strict";

  var root = document.getElementById("step-page");
  if (!root || !window.fetch || !window.JSON) return;

  var LEGACY_KEY = "guiyan.progress.queue"; // before one queue per member
  var QUEUE_KEY = LEGACY_KEY + "." + (root.getAttribute("data-member") || "");
  var INTERVAL_MS = 1000 * (Number(root.getAttribute("data-heartbeat-seconds")) || 15);
  var MAX_CLAIM_MS = 1000 * (Number(root.getAttribute("data-heartbeat-max")) || 20);
  var MAX_BATCH = 100;
  var KEEPALIVE_BATCH = 20; // a keepalive request's body must stay small
  var MAX_RETRY_MS = 30000;
  var TIMEOUT_MS = 20000; // a request not answered by then is given up and sent again
  var step = Number(root.getAttribute("data-step"));
  var endpoint = root.getAttribute("data-endpoint");
  var completed = root.getAttribute("data-completed") === "true";
  var pendingSeconds = Number(root.getAttribute("data-pending-seconds")) || 0;
  var inFlight = {}; // event id → true while a request carries it
  var retryMs = 0;
  var retryTimer = null;
  var memoryQueue = [];
  var storage = (function () {
    try {
      window.localStorage.setItem(QUEUE_KEY + ".probe", "1");
      window.localStorage.removeItem(QUEUE_KEY + ".probe");
      return window.localStorage;
    } catch (e) {
      return null; // private browsing: the queue lives as long as the page
    }
  })();

  function uuid() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") {
      return window.crypto.randomUUID();
    }
    var bytes = new Uint8Array(16);
    if (window.crypto && window.crypto.getRandomValues) {
      window.crypto.getRandomValues(bytes);
    } else {
      for (var i = 0; i < 16; i++) bytes[i] = Math.floor(Math.random() * 256);
    }
    bytes[6] = (bytes[6] & 0x0f) | 0x40; // version 4
    bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 4122 variant
    var hex = "";
    for (var j = 0; j < 16; j++) hex += (bytes[j] + 256).toString(16).slice(1);
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  function loadQueue() {
    if (!storage) return memoryQueue.slice();
    try {
      return JSON.parse(storage.getItem(QUEUE_KEY) || "[]");
    } catch (e) {
      return [];
    }
  }

  function saveQueue(queue) {
    memoryQueue = queue;
    if (!storage) return;
    try {
      storage.setItem(QUEUE_KEY, JSON.stringify(queue));
    } catch (e) {
      storage = null; // full: keep going in memory
    }
  }

  // Events queued before the queues were per member belong to whoever studied on this
  // phone then, most likely the member signed in now: they join this queue once.
  function legacyAdopt() {
    if (!storage) return;
    try {
      var legacy = JSON.parse(storage.getItem(LEGACY_KEY) || "[]");
      if (legacy.length) saveQueue(loadQueue().concat(legacy));
    } catch (e) {
      // unreadable: nothing to adopt
    }
    if (storage) storage.removeItem(LEGACY_KEY);
  }

  function withoutIds(ids) {
    saveQueue(loadQueue().filter(function (event) { return !ids[event.id]; }));
  }

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : root.getAttribute("data-csrf-token");
  }

  function round(seconds) {
    return Math.round(seconds * 10) / 10;
  }

  function enqueue(event, keepalive) {
    event.id = uuid();
    event.step = step;
    var queue = loadQueue();
    queue.push(event);
    saveQueue(queue);
    send(keepalive);
  }

  // Send what waits and no request carries, oldest first. While a retry is scheduled only a
  // page being hidden (with keepalive, so the request outlives the page) or the network
  // coming back sends at once.
  function send(keepalive, now) {
    if (retryTimer && !keepalive && !now) return;
    var limit = keepalive ? KEEPALIVE_BATCH : MAX_BATCH;
    var batch = loadQueue().filter(function (event) { return !inFlight[event.id]; }).slice(0, limit);
    if (!batch.length) return;
    if (retryTimer) {
      clearTimeout(retryTimer);
      retryTimer = null;
    }
    batch.forEach(function (event) { inFlight[event.id] = true; });
    var controller = window.AbortController && !keepalive ? new AbortController() : null;
    var timer = controller ? setTimeout(function () { controller.abort(); }, TIMEOUT_MS) : null;
    fetch(endpoint, {
      method: "POST",
      credentials: "same-origin",
      keepalive: !!keepalive,
      signal: controller ? controller.signal : undefined,
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify({ events: batch })
    })
      .then(function (response) {
        if (response.status === 200) return response.json().then(answered);
        if (response.status === 400) return response.json().then(function (body) { malformed(batch, body); });
        throw new Error("progress: HTTP " + response.status);
      })
      .then(
        function () {
          release(batch, timer);
          retryMs = 0;
          networkNote("");
          send(false);
        },
        function () {
          release(batch, timer);
          retryLater();
        }
      );
  }

  function release(batch, timer) {
    if (timer) clearTimeout(timer);
    batch.forEach(function (event) { delete inFlight[event.id]; });
  }

  function answered(body) {
    var ids = {};
    body.results.forEach(function (result) { ids[result.id] = true; });
    withoutIds(ids);
    body.steps.forEach(show);
  }

  // The server named the events it cannot read ({"events": {"3": {...}}}); they would fail
  // forever, so they leave the queue and the others go again.
  function malformed(batch, body) {
    var bad = body && body.events && !Array.isArray(body.events) ? Object.keys(body.events) : null;
    var ids = {};
    batch.forEach(function (event, index) {
      if (!bad || bad.indexOf(String(index)) !== -1) ids[event.id] = true;
    });
    withoutIds(ids);
  }

  function retryLater() {
    if (retryTimer) return; // another failed request already scheduled one
    retryMs = Math.min(MAX_RETRY_MS, retryMs ? retryMs * 2 : 2000);
    networkNote(root.getAttribute("data-offline-text") || "");
    retryTimer = setTimeout(function () {
      retryTimer = null;
      send(false);
    }, retryMs);
  }

  function networkNote(text) {
    var note = document.getElementById("step-network");
    if (note) note.textContent = text;
  }

  function show(state) {
    if (state.step !== step) return;
    pendingSeconds = state.pending_seconds || 0;
    var percent = Math.round(state.coverage * 100);
    var bar = document.getElementById("step-progress");
    if (bar) {
      bar.value = percent;
      bar.textContent = percent + "%";
    }
    var label = document.getElementById("step-progress-label");
    if (label) label.textContent = label.textContent.replace(/\d+(?=\s*%)/, String(percent));
    if (state.completed) {
      completed = true;
      root.setAttribute("data-completed", "true");
      var status = document.getElementById("step-status");
      if (status) status.hidden = false;
    }
  }

  function visible() {
    return document.visibilityState === "visible";
  }

  function readingStart() {
    var visibleSince = visible() ? Date.now() : null;
    var bankedMs = 0;
    var timer = null;

    // Claim the visible time since the last heartbeat, in whole seconds (the rest is kept
    // for the next one); a gap longer than the server takes means the page slept: dropped.
    function heartbeat(keepalive) {
      if (visibleSince === null) return;
      var now = Date.now();
      bankedMs += now - visibleSince;
      visibleSince = now;
      if (bankedMs > MAX_CLAIM_MS) {
        bankedMs = 0;
        return;
      }
      var seconds = Math.floor(bankedMs / 1000);
      bankedMs -= seconds * 1000;
      if (seconds > 0 && !completed) enqueue({ kind: "heartbeat", seconds: seconds }, keepalive);
    }

    function schedule() {
      clearTimeout(timer);
      timer = setTimeout(function () {
        heartbeat(false);
        schedule();
      }, INTERVAL_MS);
    }

    function hidden() {
      heartbeat(true);
      visibleSince = null;
      bankedMs = 0;
      clearTimeout(timer);
      send(true);
    }

    if (visibleSince !== null) schedule();
    document.addEventListener("visibilitychange", function () {
      if (visible()) {
        visibleSince = Date.now(); // the count starts again: hidden time is never claimed
        bankedMs = 0;
        schedule();
        send(false);
      } else {
        hidden();
      }
    });
    window.addEventListener("pagehide", function () { if (visibleSince !== null) hidden(); });
  }

  function lectureStart(video) {
    var played = []; // closed segments not reported yet
    var start = null;
    var last = null;
    var sentPosition = Number(video.getAttribute("data-position")) || 0;

    function close() {
      if (start !== null && last > start) played.push([round(start), round(last)]);
      start = null;
      last = null;
    }

    function report(keepalive) {
      var playing = start !== null;
      var position = round(video.currentTime);
      if (playing && !video.seeking) extend(video.currentTime); // up to the pause or the end
      close();
      if (played.length) {
        enqueue({ kind: "segments", segments: played, position: position, rate: video.playbackRate }, keepalive);
      } else if (Math.abs(position - sentPosition) >= 1) {
        enqueue({ kind: "position", position: position }, keepalive);
      } else {
        return;
      }
      played = [];
      sentPosition = position;
      if (playing && !video.paused) {
        start = video.currentTime;
        last = start;
      }
    }

    // Continuous playback extends the open segment; a longer or backward move (timeupdate
    // fires a few times a second) is a jump and starts a new one.
    function extend(now) {
      if (start === null) {
        start = now;
        last = now;
        return;
      }
      var delta = now - last;
      if (delta >= 0 && delta < 3 * Math.max(1, video.playbackRate)) {
        last = now;
      } else {
        close();
        start = now;
        last = now;
      }
    }

    video.addEventListener("playing", function () { extend(video.currentTime); });
    video.addEventListener("timeupdate", function () {
      if (!video.seeking && (!video.paused || start !== null)) extend(video.currentTime);
    });
    video.addEventListener("seeking", close);
    video.addEventListener("pause", function () { report(false); });
    video.addEventListener("ended", function () { report(false); });
    document.addEventListener("visibilitychange", function () {
      if (!visible()) {
        report(true);
        send(true);
      } else {
        send(false);
      }
    });
    window.addEventListener("pagehide", function () {
      report(true);
      send(true);
    });
    setInterval(function () {
      if (!video.paused) {
        report(false);
      } else if (pendingSeconds > 0 && !completed && visible()) {
        // Played parts wait for the attention clock: being here is what lets them count.
        enqueue({ kind: "position", position: round(video.currentTime) }, false);
        sentPosition = round(video.currentTime);
      }
    }, INTERVAL_MS);

    var resume = Number(video.getAttribute("data-position")) || 0;
    function seekToResume() {
      if (resume > 0 && (!video.duration || resume < video.duration - 2)) video.currentTime = resume;
    }
    if (video.readyState >= 1) seekToResume();
    else video.addEventListener("loadedmetadata", seekToResume, { once: true });
  }

  legacyAdopt();
  window.addEventListener("online", function () { send(false, true); });
  var player = document.getElementById("lecture-player");
  if (player) {
    lectureStart(player);
  } else if (root.getAttribute("data-kind") === "material") {
    readingStart();
  }
  send(false); // what an earlier visit left in the queue
})();
