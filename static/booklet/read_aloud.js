// Reads the easy-read page aloud with the browser's own speech synthesis (no server, no inline script).
(function () {
  "use strict";
  var button = document.querySelector("[data-read-aloud]");
  if (!button) { return; }
  if (!("speechSynthesis" in window)) {
    button.hidden = true;
    return;
  }
  var labelStart = button.getAttribute("data-label-start");
  var labelStop = button.getAttribute("data-label-stop");
  function stop() {
    window.speechSynthesis.cancel();
    button.textContent = labelStart;
    button.setAttribute("aria-pressed", "false");
  }
  button.addEventListener("click", function () {
    if (window.speechSynthesis.speaking) { stop(); return; }
    var parts = Array.prototype.map.call(document.querySelectorAll("[data-read]"), function (node) {
      return node.innerText;
    });
    var utterance = new SpeechSynthesisUtterance(parts.join(". "));
    utterance.lang = document.documentElement.lang || "fr";
    utterance.rate = 0.9;
    utterance.onend = stop;
    button.textContent = labelStop;
    button.setAttribute("aria-pressed", "true");
    window.speechSynthesis.speak(utterance);
  });
}());
