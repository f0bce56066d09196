/* 适老模式 (larger text, high contrast, wider spacing): one switch on every page, remembered
   in this browser. Loaded in <head> so that a remembered choice applies before the first paint. */
(function () {
  "use strict";
  var KEY = "gkml-elder";
  var root = document.documentElement;

  function stored() {
    try { return window.localStorage.getItem(KEY) === "1"; } catch (e) { return false; }
  }

  function store(on) {
    try { window.localStorage.setItem(KEY, on ? "1" : "0"); } catch (e) { /* private mode: this page only */ }
  }

  function apply(on) {
    root.classList.toggle("gkml-elder", on);
    var button = document.getElementById("gkml-elder-switch");
    if (button) {
      button.setAttribute("aria-pressed", on ? "true" : "false");
      button.textContent = on ? "退出适老模式" : "适老模式";
    }
  }

  apply(stored());
  document.addEventListener("DOMContentLoaded", function () {
    var button = document.getElementById("gkml-elder-switch");
    if (!button) return;
    button.hidden = false;
    apply(root.classList.contains("gkml-elder"));
    button.addEventListener("click", function () {
      var on = !root.classList.contains("gkml-elder");
      store(on);
      apply(on);
    });
  });
})();
