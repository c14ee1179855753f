/* SilverShield (银盾): small enhancements. Every page works without this file and without htmx. */
(function () {
  "use strict";

  // The language menu submits itself; without scripts its button does it.
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches && target.matches("select[data-autosubmit]")) {
      target.form.submit();
    }
  });
  document.documentElement.classList.add("js");

  // Danger actions (transfer to the police) ask once more before they are sent.
  document.addEventListener("submit", function (event) {
    var submitter = event.submitter;
    var message = submitter && submitter.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  // The server answers a refused action with 400/403/409 and the page part showing why; htmx would
  // otherwise drop those answers, so let them replace the part like a success does.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if (status === 400 || status === 403 || status === 409) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();
