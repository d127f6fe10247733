/* Progress reporting for a step page (templates/learning/step_*.html), no framework.
 *
 * What the templates give and the browser tests may rely on (keep these stable):
 *   #step-page            the step's <article>: data-step, data-track, data-kind
 *                         ("material" or "lecture"), data-endpoint (POST /api/v1/learning/progress),
 *                         data-csrf-token (used if there is no csrftoken cookie),
 *                         data-completed ("true" or "false"), data-offline-text
 *   #lecture-player       a lecture's <video>: data-step, data-track, data-position (where the
 *                         member left off, seconds), data-duration
 *   #step-progress        <progress max="100">: the share done, as the server last said
 *   #step-progress-label  its text; the number before "%" is updated
 *   #step-status          hidden until the server says the step is completed
 *   #step-network         says so while reports wait for the network
 *
 * Reading: a heartbeat every 15 s while the page is visible, with the visible seconds since
 * the last one, and one more when the page is hidden. Video: the parts actually played, built
 * from timeupdate (a seek starts a new segment, so skipped parts are never reported), sent
 * every 15 s, on pause and end, and when the page is hidden.
 *
 * Every event has its own UUID and waits in localStorage ("guiyan.progress.queue") until the
 * server has answered for it (accepted, duplicate or refused); failures are retried with
 * backoff, so a flaky network loses nothing already played. The server de-duplicates.
 */
(function () {
  "use strict";

  var root = document.getElementById("step-page");
  if (!root || !window.fetch || !window.JSON) return;

  var QUEUE_KEY = "guiyan.progress.queue";
  var INTERVAL_MS = 15000;
  var MAX_BATCH = 100;
  var MAX_RETRY_MS = 60000;
  var step = Number(root.getAttribute("data-step"));
  var endpoint = root.getAttribute("data-endpoint");
  var completed = root.getAttribute("data-completed") === "true";
  var sending = false;
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

  // Send what waits, oldest first. While a retry is scheduled only a page being hidden (with
  // keepalive, so the request outlives the page) or the network coming back sends at once.
  function send(keepalive, now) {
    if (sending || (retryTimer && !keepalive && !now)) return;
    var batch = loadQueue().slice(0, MAX_BATCH);
    if (!batch.length) return;
    if (retryTimer) {
      clearTimeout(retryTimer);
      retryTimer = null;
    }
    sending = true;
    fetch(endpoint, {
      method: "POST",
      credentials: "same-origin",
      keepalive: !!keepalive,
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
          sending = false;
          retryMs = 0;
          networkNote("");
          if (loadQueue().length) send(false);
        },
        function () {
          sending = false;
          retryLater();
        }
      );
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

  function readingStart() {
    var visibleSince = document.visibilityState === "visible" ? Date.now() : null;
    var bankedMs = 0;

    function heartbeat(keepalive) {
      if (visibleSince !== null) {
        var now = Date.now();
        bankedMs += now - visibleSince;
        visibleSince = now;
      }
      var seconds = Math.floor(bankedMs / 1000);
      bankedMs -= seconds * 1000;
      if (seconds > 0 && !completed) enqueue({ kind: "heartbeat", seconds: seconds }, keepalive);
    }

    setInterval(function () {
      if (document.visibilityState === "visible") heartbeat(false);
    }, INTERVAL_MS);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible") {
        visibleSince = Date.now();
        send(false);
      } else {
        heartbeat(true);
        visibleSince = null;
      }
    });
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
      if (document.visibilityState === "hidden") report(true);
      else send(false);
    });
    setInterval(function () {
      if (!video.paused) report(false);
    }, INTERVAL_MS);

    var resume = Number(video.getAttribute("data-position")) || 0;
    function seekToResume() {
      if (resume > 0 && (!video.duration || resume < video.duration - 2)) video.currentTime = resume;
    }
    if (video.readyState >= 1) seekToResume();
    else video.addEventListener("loadedmetadata", seekToResume, { once: true });
  }

  window.addEventListener("online", function () { send(false, true); });
  var player = document.getElementById("lecture-player");
  if (player) {
    lectureStart(player);
  } else if (root.getAttribute("data-kind") === "material") {
    readingStart();
  }
  send(false); // what an earlier visit left in the queue
})();
