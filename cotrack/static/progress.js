// A background job's page: sizes the progress bar and, while the job is queued or running,
// asks the server for its progress every second (the page's data-progress-url, JSON);
// when it has finished, the page is loaded again to show the result. Without JavaScript
// the page shows the state it was loaded with (reload to refresh).
(function () {
  const box = document.getElementById("job");
  if (!box) return;
  const bar = box.querySelector(".job-bar");
  const words = {queued: "Waiting for the worker", running: "Running", done: "Done",
                 failed: "Failed"};
  const number = new Intl.NumberFormat();

  function show(state) {
    const percent = state.total ? Math.floor((100 * state.done) / state.total) :
      (state.status === "done" ? 100 : 0);
    bar.style.width = percent + "%";
    bar.parentElement.setAttribute("aria-valuenow", state.done);
    box.querySelector(".job-state").textContent = words[state.status] || state.status;
    box.querySelector(".job-done").textContent = number.format(state.done);
    box.querySelector(".job-total").textContent = number.format(state.total);
    box.querySelector(".job-left").textContent =
      state.seconds_left === null || state.seconds_left === undefined ? "" :
        " · about " + state.seconds_left + " s left";
  }

  bar.style.width = bar.dataset.percent + "%";
  if (box.dataset.status !== "queued" && box.dataset.status !== "running") return;

  function poll() {
    fetch(box.dataset.progressUrl, {headers: {Accept: "application/json"},
                                    credentials: "same-origin"})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) {
        if (!state) { window.setTimeout(poll, 3000); return; }
        show(state);
        if (state.status === "done" || state.status === "failed") {
          window.location.reload();
        } else {
          window.setTimeout(poll, 1000);
        }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 1000);
})();
