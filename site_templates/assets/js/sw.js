// Service worker (copied to the site root by build_tools/postbuild.py, which also fills in
// the cache version): a calculator opened once keeps working with the network gone.
//
// Online, every same-origin request goes to the network first (so nobody runs stale
// calculator code while a newer build is reachable) and the answer is kept; offline, the
// kept copy is served. The calculators wheel is the exception: its name carries a content
// hash, so a kept copy is always right and is served without asking the network.
// Only calculator pages (and pages that start the runtime ahead, the study pages, and the
// calculators index when the reader asks for offline use) register this worker; it never fetches
// anything on its own except what such a page asks it to keep.

const CACHE = "calculators-__CALCULATOR_BUILD__";
const NETWORK_TIMEOUT_MS = 8000;

self.addEventListener("install", () => self.skipWaiting());

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith("calculators-") && name !== CACHE) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

function isImmutable(url) {
  return url.pathname.endsWith(".whl");
}

function sameResponse(a, b) {
  for (const header of ["etag", "last-modified", "content-length"]) {
    if (a.headers.get(header) !== b.headers.get(header)) return false;
  }
  return a.headers.has("etag") || a.headers.has("last-modified");
}

async function keep(cache, request, response) {
  if (!response.ok || response.type !== "basic" || response.status !== 200) return;
  const kept = await cache.match(request);
  if (kept && sameResponse(kept, response)) return; // do not rewrite 8 MB of wasm each visit
  await cache.put(request, response);
}

function withTimeout(promise, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("network timeout")), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

async function respond(event) {
  const request = event.request;
  const cache = await caches.open(CACHE);
  if (isImmutable(new URL(request.url))) {
    const kept = await cache.match(request);
    if (kept) return kept;
  }
  try {
    const response = await withTimeout(fetch(request), NETWORK_TIMEOUT_MS);
    // Keep a copy without holding the page up: the copy is written while the page reads.
    event.waitUntil(keep(cache, request, response.clone()));
    return response;
  } catch (error) {
    const kept = await cache.match(request, { ignoreVary: true });
    if (kept) return kept;
    throw error;
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.headers.has("range")) return;
  event.respondWith(respond(event));
});

// A calculator page sends {type: "cache", urls} once its runtime is ready: the files it
// loaded before this worker controlled the page, and the page itself. The calculators
// index sends every calculator page and the runtime when the reader asks for offline use;
// with {progress: true} it hears {type: "progress", done, total} after each file.
self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type !== "cache" || !Array.isArray(data.urls)) return;
  const port = event.ports && event.ports[0];
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      let failed = 0;
      const urls = data.urls.slice(0, 200);
      let done = 0; // files finished (kept, already kept, or failed)
      for (const raw of urls) {
        if (data.progress && port) port.postMessage({ type: "progress", done, total: urls.length });
        done += 1;
        let url;
        try {
          url = new URL(String(raw), self.location.href);
        } catch {
          failed += 1;
          continue;
        }
        if (url.origin !== self.location.origin) continue;
        url.hash = "";
        if (await cache.match(url.href)) continue;
        try {
          const response = await fetch(url.href);
          if (response.ok) await cache.put(url.href, response);
          else failed += 1;
        } catch {
          failed += 1;
        }
      }
      if (port) port.postMessage({ type: "cached", failed });
    })(),
  );
});
