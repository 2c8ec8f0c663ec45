// The calculator runtime: a module Web Worker running the Python calculators in Pyodide.
//
// It loads Pyodide from the site's own /pyodide/ folder (never a CDN), with the trimmed
// standard library the build wrote there (calculators-stdlib.zip: only what the
// calculators and Pyodide import, byte-compiled), installs the
// `calculators` wheel named in the lock file the build wrote there, then answers
// {seq, id, inputs} messages with calculators.registry.run_json(id, JSON) — the very
// function the CPython tests check. Running in a worker keeps the page responsive while
// the interpreter starts, and one worker serves every calculator page the user visits.

import { loadPyodide } from "../../pyodide/pyodide.mjs";

const RUNTIME = new URL("../../pyodide/", import.meta.url).href;
const STDLIB = RUNTIME + "calculators-stdlib.zip";
const started = performance.now();
let runJson = null;
let stage = "runtime";

// {type: "progress", stage, loaded, total} while starting: the stage ("runtime": Pyodide
// and the standard library; "calculators": the calculators wheel) and the bytes this
// worker has received so far (total unknown: it depends on the server's compression).
function progress() {
  let loaded = 0;
  for (const entry of performance.getEntriesByType("resource")) loaded += entry.encodedBodySize || 0;
  postMessage({ type: "progress", stage, loaded, total: null });
}
try {
  new PerformanceObserver(() => progress()).observe({ type: "resource" });
} catch {
  // progress is a courtesy; an old browser simply gets none
}

async function fetchLock(marks) {
  // The lock file is the one runtime file whose URL does not change with its content, so
  // it is revalidated every time; the wheel it names carries a content hash.
  const response = await fetch(RUNTIME + "pyodide-lock.json", { cache: "no-cache" });
  if (!response.ok) throw new Error(`pyodide-lock.json: HTTP ${response.status}`);
  const lock = await response.json();
  marks.lock = performance.now() - started;
  // Start fetching the wheel now, while the interpreter boots; loadPackage below then
  // finds it in the HTTP cache (the browser joins identical requests in flight).
  for (const entry of Object.values(lock.packages || {})) {
    fetch(RUNTIME + entry.file_name).catch(() => {});
  }
  return lock;
}

async function start() {
  const marks = {};
  const pyodide = await loadPyodide({
    indexURL: RUNTIME,
    stdLibURL: STDLIB,
    lockFileContents: fetchLock(marks), // fetched while the runtime downloads
    packageBaseUrl: RUNTIME,
    stdout: () => {},
    stderr: (line) => console.warn("[calculators]", line),
  });
  marks.runtime = performance.now() - started;
  stage = "calculators";
  progress();
  await pyodide.loadPackage("calculators", {
    messageCallback: () => {},
    errorCallback: (message) => console.warn("[calculators]", message),
  });
  marks.wheel = performance.now() - started;
  runJson = pyodide.pyimport("calculators.registry").run_json;
  marks.imported = performance.now() - started;
  postMessage({
    type: "ready",
    ms: performance.now() - started,
    marks, // start-up milestones since the worker started, for the benchmark
    // What the runtime fetched, so the page can ask the service worker to keep it offline.
    resources: performance.getEntriesByType("resource").map((entry) => entry.name),
  });
}

// What a reader is told when the runtime or the calculators package fails: one plain
// clause, never a Python traceback; the details go to the console for whoever debugs.
function plainReason(error) {
  const text = String((error && error.message) || error);
  if ((error && error.type) || /Traceback|File "/.test(text)) {
    return "its Python package did not load";
  }
  if (/integrity|checksum|sha-?256/i.test(text)) return "its files do not match this build";
  return text.split("\n")[0].slice(0, 160);
}

const ready = start().catch((error) => {
  console.warn("[calculators] the runtime did not start:", error);
  postMessage({ type: "error", message: plainReason(error) });
});

function failure(message) {
  return JSON.stringify({ errors: [{ field: "calculator", message }] });
}

self.onmessage = async (event) => {
  const { seq, id, inputs } = event.data || {};
  await ready;
  if (runJson === null) return; // the start-up error has been reported already
  const t0 = performance.now();
  let json;
  try {
    json = runJson(String(id), JSON.stringify(inputs ?? {}));
  } catch (error) {
    // run_json never raises; this is the interpreter itself failing.
    console.warn("[calculators] the runtime failed:", error);
    json = failure(`calculator: the runtime failed (${plainReason(error)})`);
  }
  postMessage({ type: "result", seq, id, json, ms: performance.now() - t0 });
};
