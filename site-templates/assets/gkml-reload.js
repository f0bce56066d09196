// `gkml serve` only, never published: reloads the page once the preview has rebuilt the site.
// The preview puts this script into every page it serves, with the address to wait on
// (data-changes) and the preview's version when the page was served (data-version). The
// address answers with the version as soon as it is newer (or after a while, unchanged).
(function (script) {
  var changes = script.getAttribute("data-changes");
  var version = +script.getAttribute("data-version");
  function poll() {
    fetch(changes + "?since=" + version, {cache: "no-store"})
      .then(function (response) { return response.text(); })
      .then(function (text) {
        if (+text > version) location.reload();
        else poll();
      }, function () { setTimeout(poll, 2000); });  // the preview is restarting: try again shortly
  }
  poll();
})(document.currentScript);
