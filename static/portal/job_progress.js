// A running job's page polls its status and reloads once the job has finished.
(function () {
  var box = document.querySelector("[data-job]");
  if (!box || box.dataset.finished === "1") { return; }
  function poll() {
    fetch(box.dataset.statusUrl, {credentials: "same-origin", cache: "no-store"})
      .then(function (response) { return response.json(); })
      .then(function (state) {
        if (state.finished) { window.location.reload(); return; }
        box.querySelector("[data-job-status]").textContent = state.status_label;
        box.querySelector("[data-job-phase]").textContent = state.phase_label;
        box.querySelector("[data-job-bar]").value = state.percent;
        box.querySelector("[data-job-done]").textContent = state.done;
        box.querySelector("[data-job-total]").textContent = state.total || "…";
        window.setTimeout(poll, 2000);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
