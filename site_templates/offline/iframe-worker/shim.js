/* A Worker for pages opened from files (file://), where browsers refuse real workers: the
 * theme's search runs in one.
 *
 * After iframe-worker 1.0.4 (Martin Donath, MIT license), with one change: the frame the
 * worker runs in holds no inline script. The original writes its setup into the frame as
 * an inline script naming the worker's absolute file:// address, which no build can hash,
 * so the bundle had to allow inline scripts on every page. Here the setup is frame.js,
 * loaded by address, and the worker's address travels in that address's fragment; the
 * bundle keeps the site's policy (no inline script but the theme's, hashed at build).
 */
"use strict";
(() => {
  const FRAME = new URL("frame.js", document.currentScript.src).href;
  const attribute = (text) =>
    String(text).replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");

  class IFrameWorker extends EventTarget {
    constructor(url) {
      super();
      this.url = url;
      this.m = (event) => {
        if (event.source === this.w) {
          this.dispatchEvent(new MessageEvent("message", { data: event.data }));
          if (this.onmessage) this.onmessage(event);
        }
      };
      this.e = (message, filename, lineno, colno, error) => {
        if (filename === `${this.url}`) {
          const event = new ErrorEvent("error", { message, filename, lineno, colno, error });
          this.dispatchEvent(event);
          if (this.onerror) this.onerror(event);
        }
      };
      const frame = document.createElement("iframe");
      frame.hidden = true;
      document.body.appendChild((this.iframe = frame));
      const setup = `${FRAME}#${encodeURIComponent(`${url}`)}`;
      this.w.document.open();
      this.w.document.write(
        `<html><body><script src="${attribute(setup)}"><\/script>` +
          `<script src="${attribute(`${url}?${Date.now()}`)}"><\/script></body></html>`,
      );
      this.w.document.close();
      window.onmessage = this.m;
      window.onerror = this.e;
      this.r = new Promise((resolve, reject) => {
        this.w.onload = resolve;
        this.w.onerror = reject;
      });
    }

    terminate() {
      this.iframe.remove();
      window.onmessage = window.onerror = null;
    }

    postMessage(data) {
      this.r.catch().then(() => {
        this.w.dispatchEvent(new MessageEvent("message", structuredClone({ data })));
      });
    }

    get w() {
      return this.iframe.contentWindow;
    }
  }

  window.IFrameWorker = IFrameWorker;
  if (location.protocol === "file:") window.Worker = IFrameWorker;
})();
