// Calculator pages opened straight from disk (file://): browsers refuse to run the
// calculator there (module scripts and workers need a web address), so the page says, in
// place of the form, how to start the offline launcher. A classic script, because a module
// script is exactly what a browser will not load from a file.
(function () {
  "use strict";
  if (location.protocol !== "file:") return;
  function mark() {
    var roots = document.querySelectorAll("[data-calculator-root]");
    for (var i = 0; i < roots.length; i++) {
      var root = roots[i];
      root.setAttribute("data-state", "file");
      var notice = root.querySelector("[data-file-notice]");
      if (notice) notice.hidden = false;
      var loading = root.querySelector("[data-loading]");
      if (loading) loading.hidden = true;
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mark, { once: true });
  } else {
    mark();
  }
})();
