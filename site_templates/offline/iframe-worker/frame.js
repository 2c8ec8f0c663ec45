/* The setup of an IFrameWorker's frame (see shim.js): what a worker has that a page does
 * not. The worker's address is this script's fragment. */
"use strict";
(() => {
  const url = decodeURIComponent(new URL(document.currentScript.src).hash.slice(1));
  window.postMessage = (message, origin) => parent.postMessage(message, origin || "*");
  window.importScripts = (...urls) =>
    urls.reduce(
      (loaded, src) =>
        loaded.then(
          () =>
            new Promise((resolve) => {
              const script = document.createElement("script");
              script.src = src;
              script.onload = resolve;
              document.body.appendChild(script);
            }),
        ),
      Promise.resolve(),
    );
  addEventListener("error", ({ error }) => {
    parent.dispatchEvent(new ErrorEvent("error", { filename: url, error }));
  });
})();
