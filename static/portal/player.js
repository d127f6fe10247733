/*
 * Which file a micro-lecture's <video data-player> plays: the phone rendition (at most 360p,
 * about 400 kbit/s) or the original.
 *
 * - ?quality=phone or ?quality=full in the page's address decides, for a member who wants
 *   the other one (and for tests).
 * - Where the browser reports the network (navigator.connection, Chromium and WeChat's
 *   Android browser): the phone rendition when it reports Save-Data or an effective type of
 *   slow-2g, 2g or 3g; the original otherwise.
 * - Where it does not (Safari, Firefox) or without JavaScript: the <source media> in the
 *   template plays the phone rendition on screens at most 480 px wide.
 *
 * The chosen source is put first and the player reloaded before anything plays; the poster
 * stays, and the duration (so the progress segments) is the same in both files.
 */
(function () {
  "use strict";
  var SLOW = ["slow-2g", "2g", "3g"];

  function wantsPhone(phone) {
    var quality = new URLSearchParams(window.location.search).get("quality");
    if (quality === "phone" || quality === "full") return quality === "phone";
    var connection = navigator.connection;
    if (connection && connection.effectiveType) {
      return Boolean(connection.saveData) || SLOW.indexOf(connection.effectiveType) >= 0;
    }
    return window.matchMedia(phone.media).matches;
  }

  function choose(video) {
    var phone = video.querySelector("source[data-phone]");
    var original = video.querySelector("source[data-original]");
    if (!phone || !original) return;
    var chosen = wantsPhone(phone) ? phone : original;
    chosen.removeAttribute("media");
    if (video.firstElementChild !== chosen) video.insertBefore(chosen, video.firstElementChild);
    if (chosen === original) phone.remove(); // its media query would still match first
    video.setAttribute("data-rendition", chosen === phone ? "phone" : "original");
    if (video.currentSrc !== chosen.src) video.load();
  }

  document.querySelectorAll("video[data-player]").forEach(choose);
})();
