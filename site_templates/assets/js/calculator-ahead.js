// Pages that link a calculator (a therapy, a disease domain, a topic, an algorithm): start
// the calculator runtime ahead of need, once the page is idle, so that the calculator a
// reader opens from here is ready at once (the theme's instant navigation keeps the one
// runtime alive from page to page).
//
// Only when the browser says the connection allows it: it reports a 4G-class connection
// (navigator.connection.effectiveType) and the reader has not asked to save data. A
// browser that reports neither (Firefox, Safari) fetches nothing ahead. The runtime comes
// from this site like everything else; nothing is sent anywhere. README, "Privacy".
//
// Starting it is importing the calculator widget: the module starts its worker when it is
// evaluated, and finds no form on this page until the reader follows a calculator link.
// The first few calculator pages linked from here are fetched too (about 10 kB each).

const WIDGET_URL = new URL("./calculator-widget.js", import.meta.url);
const IDLE_TIMEOUT_MS = 5000;
const MAX_PAGES = 4; // calculator pages linked from here, fetched ahead with the runtime

function connectionAllows() {
  const connection = navigator.connection;
  if (!connection || connection.saveData) return false;
  return connection.effectiveType === "4g";
}

function startAhead() {
  if (!connectionAllows()) return;
  document.documentElement.dataset.calculatorAhead = "started";
  import(WIDGET_URL.href).catch((error) => {
    // The calculator page will try again and say what went wrong.
    console.warn("[calculators] could not start the runtime ahead:", error);
  });
  // The linked calculator pages, into the browser's cache: the theme's instant navigation
  // then swaps the page in without waiting for the network (their styles are already on
  // this page).
  const pages = new Set();
  for (const link of document.querySelectorAll('article a[href*="calculators/"]')) {
    const url = new URL(link.href);
    if (url.origin === location.origin && /\/calculators\/[a-z0-9_]+\/$/.test(url.pathname)) {
      pages.add(url.origin + url.pathname);
    }
  }
  for (const url of [...pages].slice(0, MAX_PAGES)) {
    fetch(url, { credentials: "same-origin" }).catch(() => {});
  }
}

function whenIdle() {
  if ("requestIdleCallback" in window) {
    requestIdleCallback(startAhead, { timeout: IDLE_TIMEOUT_MS });
  } else {
    setTimeout(startAhead, IDLE_TIMEOUT_MS);
  }
}

if (document.readyState === "complete") whenIdle();
else window.addEventListener("load", whenIdle, { once: true });
