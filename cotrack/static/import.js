// Shows upload progress while an import file is uploaded for its preview.
// Without JavaScript the form posts normally.
(function () {
  const form = document.getElementById("import-form");
  if (!form || !window.XMLHttpRequest) return;
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    const box = document.getElementById(form.dataset.progress);
    const bar = box.querySelector(".progress-bar");
    const status = box.querySelector(".status");
    box.classList.remove("d-none");
    form.querySelector("button[type=submit]").disabled = true;
    const request = new XMLHttpRequest();
    request.open("POST", form.action || window.location.href);
    request.upload.addEventListener("progress", function (e) {
      if (!e.lengthComputable) return;
      const percent = Math.round((e.loaded / e.total) * 100);
      bar.style.width = percent + "%";
      status.textContent = "Uploading… " + percent + " %";
      if (percent === 100) status.textContent = "Reading the file…";
    });
    request.addEventListener("load", function () {
      if (request.responseURL) {
        document.open();
        document.write(request.responseText);
        document.close();
        window.history.replaceState(null, "", request.responseURL);
      }
    });
    request.addEventListener("error", function () {
      status.textContent = "The upload failed. Check the connection and try again.";
      form.querySelector("button[type=submit]").disabled = false;
    });
    request.send(new FormData(form));
  });
})();
