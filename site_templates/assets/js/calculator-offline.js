// The calculators index: "Make calculators available offline (N MB)". On the reader's
// request only, the service worker (sw.js) fetches every calculator page, the files they
// load and the calculator runtime into its cache; nothing is fetched before the click.
// The list and its size are the build's (calculators/offline.json, build_tools/offline_runtime.py).

const MANIFEST_URL = new URL("../../calculators/offline.json", import.meta.url);
const SERVICE_WORKER_URL = new URL("../../sw.js", import.meta.url);
const SITE_ROOT = new URL("../../", import.meta.url);

function megabytes(bytes) {
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

function ask(target, message, onProgress) {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = (event) => {
      const data = event.data || {};
      if (data.type === "progress") onProgress(data);
      else resolve(data);
    };
    target.postMessage(message, [channel.port2]);
  });
}

// Whether every listed file is already kept (any calculators-* cache of this site).
async function alreadyKept(urls) {
  if (!("caches" in window)) return false;
  for (const name of await caches.keys()) {
    if (!name.startsWith("calculators-")) continue;
    const cache = await caches.open(name);
    const found = await Promise.all(urls.map((url) => cache.match(url)));
    if (found.every(Boolean)) return true;
  }
  return false;
}

async function setUp() {
  const box = document.querySelector("[data-offline-action]");
  if (!box || box.dataset.bound) return;
  box.dataset.bound = "true";
  const button = box.querySelector("[data-offline-button]");
  const status = box.querySelector("[data-offline-status]");
  if (!("serviceWorker" in navigator) || !window.isSecureContext) return; // stays hidden
  let manifest;
  try {
    const response = await fetch(MANIFEST_URL, { cache: "no-cache" });
    manifest = await response.json();
  } catch {
    return; // without the list there is nothing to offer
  }
  const urls = manifest.urls.map((url) => new URL(url, SITE_ROOT).href);
  const size = megabytes(manifest.bytes);
  button.textContent = `Make calculators available offline (${size})`;
  box.hidden = false;
  const done = () => {
    box.dataset.offline = "ready";
    button.hidden = true;
    status.textContent =
      `✓ Calculators are available offline on this device: every calculator page and the ` +
      `calculator runtime are kept in this browser (${size}).`;
  };
  if (await alreadyKept(urls)) {
    done();
    return;
  }
  button.addEventListener("click", async () => {
    button.disabled = true;
    box.dataset.offline = "loading";
    status.textContent = `Downloading… 0 of ${urls.length} files`;
    try {
      await navigator.serviceWorker.register(SERVICE_WORKER_URL);
      const registration = await navigator.serviceWorker.ready;
      // The files this page itself loaded (the theme's styles and scripts) come too.
      const own = performance
        .getEntriesByType("resource")
        .map((entry) => entry.name)
        .filter((url) => url.startsWith(new URL("assets/", SITE_ROOT).href));
      const reply = await ask(
        registration.active,
        { type: "cache", urls: [...new Set([...urls, ...own])], progress: true },
        ({ done, total }) => {
          status.textContent = `Downloading… ${done} of ${total} files`;
        },
      );
      if (reply && reply.failed === 0) {
        done();
      } else {
        throw new Error(`${reply ? reply.failed : "some"} file(s) could not be fetched`);
      }
    } catch (error) {
      box.dataset.offline = "error";
      button.disabled = false;
      status.textContent = `Not everything could be downloaded (${error.message}). Check the connection and try again.`;
    }
  });
}

// With instant navigation this module runs once; the theme's document$ re-runs setUp
// when the reader comes back to the index.
if (window.document$ && typeof window.document$.subscribe === "function") {
  window.document$.subscribe(() => setUp());
}
setUp();
