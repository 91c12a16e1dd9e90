/*
 * A background job's page follows its job (no framework): while it waits or runs, the page
 * asks the job's progress URL (data-progress-url) every two seconds and updates the state,
 * the bar and the count; when the job ends it reloads, to show the result or the error.
 * Without JavaScript the page refreshes itself (<noscript> meta refresh). The site navigates
 * with Turbo, so the script starts on turbo:load as well as on a full page load.
 */
(function () {
  "use strict";
  function start() {
  var box = document.getElementById("job-progress");
  if (!box || !window.fetch || box.getAttribute("data-finished") === "1") { return; }
  if (box.getAttribute("data-polling")) { return; }
  box.setAttribute("data-polling", "1");
  var url = box.getAttribute("data-progress-url");
  var state = box.querySelector("[data-job-state]");
  var bar = box.querySelector("[data-job-bar]");
  var count = box.querySelector("[data-job-count]");

  function poll() {
    if (!document.body.contains(box)) { return; }  // the user went elsewhere
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) { window.setTimeout(poll, 5000); return; }
        if (data.finished) { window.location.reload(); return; }
        state.textContent = data.state_label;
        bar.value = data.percent;
        bar.textContent = data.percent + "%";
        if (data.total) { count.textContent = data.done + " / " + data.total; }
        window.setTimeout(poll, 2000);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
  document.addEventListener("turbo:load", start);
})();
