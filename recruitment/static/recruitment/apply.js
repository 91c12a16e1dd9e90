/*
 * Live eligibility check on the registration form (no framework).
 *
 * While the applicant types the ID number or picks the education level, the form's fields are
 * posted to the campaign's check endpoint (data-check-url), which answers {field: message} for
 * the rules already failed (age from the ID number, the ID number itself, education). Each
 * message goes into the field's <p class="live" data-live-for="...">; a field missing from the
 * answer is cleared. The server checks everything again on submit.
 */
(function () {
  "use strict";
  var form = document.querySelector("form[data-check-url]");
  if (!form || !window.fetch) { return; }
  var url = form.getAttribute("data-check-url");
  var watched = ["id_number", "education"];
  var timer = null;
  var sequence = 0;

  function value(name) {
    var input = form.elements[name];
    return input ? String(input.value || "").trim() : "";
  }

  function show(problems) {
    watched.forEach(function (name) {
      var line = form.querySelector('[data-live-for="' + name + '"]');
      if (line) { line.textContent = problems[name] || ""; }
    });
  }

  function check() {
    var idNumber = value("id_number");
    // Wait for a whole number before judging it; a shorter one is still being typed.
    if (idNumber && idNumber.replace(/\s/g, "").length < 18) { idNumber = ""; }
    if (!idNumber && !value("education")) { show({}); return; }
    var body = new FormData();
    body.append("csrfmiddlewaretoken", value("csrfmiddlewaretoken"));
    body.append("id_number", idNumber);
    body.append("education", value("education"));
    var mine = ++sequence;
    fetch(url, { method: "POST", body: body, credentials: "same-origin",
                 headers: { "X-Requested-With": "fetch" } })
      .then(function (response) { return response.json(); })
      .then(function (problems) {
        if (mine === sequence) { show(problems || {}); }
      })
      .catch(function () { /* the server checks again on submit */ });
  }

  function later() {
    window.clearTimeout(timer);
    timer = window.setTimeout(check, 400);
  }

  watched.forEach(function (name) {
    var input = form.elements[name];
    if (!input) { return; }
    input.addEventListener("input", later);
    input.addEventListener("change", check);
    input.addEventListener("blur", check);
  });
})();
