// Calculator pages: bind each <form data-calculator="id"> to the Python calculators running
// in a Web Worker (calculator-worker.mjs, Pyodide), and show results as the user types.
//
// Only calculator pages load this module (site_templates/overrides/main.html), so no other
// page fetches any Pyodide byte. With the theme's instant navigation the page's JavaScript
// context survives page changes: this module is evaluated once, keeps ONE worker alive,
// and re-scans the page whenever the theme's `document$` emits, so a second calculator is
// ready at once. Nothing is sent to a server: inputs go to the worker and into the URL
// fragment (#calc?name=value&...), which browsers never transmit.

const WORKER_URL = new URL("./calculator-worker.mjs", import.meta.url);
const RUNTIME_URL = new URL("../../pyodide/", import.meta.url);
// What the worker waits for longest, asked for the moment this page starts the runtime, in
// parallel with the worker's own script and its import: the worker then finds them in the
// HTTP cache (or joins the download in flight). Asked for here and only when starting, not
// by <link rel="preload"> in the page's head: the theme's instant navigation appends a new
// page's head links to the document, so every calculator reached by a link would fetch the
// 8 MB runtime again while the one already running serves it.
const RUNTIME_FILES = ["pyodide.asm.wasm", "calculators-stdlib.zip", "pyodide.asm.js", "pyodide.mjs"];
const SERVICE_WORKER_URL = new URL("../../sw.js", import.meta.url);
const START_TIMEOUT_MS = 60_000;
const DEBOUNCE_MS = 120;
const FRAGMENT_PREFIX = "#calc?";
// Fragment values are user-controllable text: only short, plainly named values are used,
// and only ever as form values (never evaluated, never inserted as HTML).
const MAX_FRAGMENT_VALUE = 64;
const FRAGMENT_NAME = /^[a-z][a-z0-9_]{0,63}$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const UNIT_SUFFIX = "__unit";
const CHOICE_SUFFIX = "__choice";
const EMPTY = "—";

const runtime = {
  worker: null,
  state: "idle", // idle | loading | ready | error
  error: "",
  startedAt: 0,
  readyMs: null,
  seq: 0,
  pending: new Map(), // seq -> controller
  controllers: new Set(),
  ticker: null,
  timeout: null,
  offline: "",
  marks: "",
  progress: null, // {stage, loaded, total} from the worker, when it sends any
};
// Opened straight from disk (file://): browsers will not run the worker; say what to do.
const FROM_FILE = location.protocol === "file:";

// ---------------------------------------------------------------------------------------
// The worker (one per tab, started as soon as a calculator page is seen)

function startRuntime() {
  if (FROM_FILE || runtime.worker !== null || runtime.state === "error") return;
  runtime.state = "loading";
  runtime.startedAt = performance.now();
  fetchRuntimeFiles();
  try {
    runtime.worker = new Worker(WORKER_URL, { type: "module" });
  } catch (error) {
    failRuntime(`the browser refused to start it (${error && error.message})`);
    return;
  }
  runtime.worker.onmessage = (event) => onWorkerMessage(event.data || {});
  runtime.worker.onerror = (event) => {
    if (event && event.preventDefault) event.preventDefault();
    failRuntime("its files could not be loaded");
  };
  runtime.timeout = setTimeout(() => {
    if (runtime.state === "loading") {
      failRuntime(`it did not start within ${START_TIMEOUT_MS / 1000} seconds`);
    }
  }, START_TIMEOUT_MS);
  runtime.ticker = setInterval(refreshAll, 1000);
}

function fetchRuntimeFiles() {
  for (const name of RUNTIME_FILES) {
    // Read to the end and dropped: the copy that matters is the one in the HTTP cache.
    fetch(new URL(name, RUNTIME_URL), { credentials: "same-origin" })
      .then((response) => (response.body ? response.body.pipeTo(new WritableStream()) : null))
      .catch(() => {}); // the worker asks again and reports any failure
  }
}

function failRuntime(reason) {
  runtime.state = "error";
  runtime.error = reason;
  clearTimeout(runtime.timeout);
  clearInterval(runtime.ticker);
  if (runtime.worker) runtime.worker.terminate();
  runtime.worker = null;
  refreshAll();
}

function onWorkerMessage(message) {
  if (message.type === "ready") {
    if (runtime.state === "error") return;
    runtime.state = "ready";
    runtime.readyMs = message.ms;
    // On <html>, which outlives instant navigation: a page that started the runtime ahead
    // (calculator-ahead.js) can tell it is running, and so can the tests and `make bench`.
    document.documentElement.dataset.calculatorRuntime = "ready";
    runtime.marks = Object.entries(message.marks || {})
      .map(([name, ms]) => `${name}:${Math.round(ms)}`)
      .join(" ");
    clearTimeout(runtime.timeout);
    clearInterval(runtime.ticker);
    refreshAll();
    for (const controller of live()) controller.compute();
    keepOffline(message.resources || []);
  } else if (message.type === "progress") {
    // Optional: the worker may report what it is loading before "ready" (never relied on).
    if (runtime.state !== "loading") return;
    const loaded = Number(message.loaded);
    const total = message.total === null || message.total === undefined ? null : Number(message.total);
    runtime.progress = {
      stage: typeof message.stage === "string" ? message.stage.slice(0, 80) : "",
      loaded: Number.isFinite(loaded) && loaded >= 0 ? loaded : 0,
      total: total !== null && Number.isFinite(total) && total > 0 ? total : null,
    };
    refreshAll();
  } else if (message.type === "error") {
    failRuntime(`it failed to start (${message.message})`);
  } else if (message.type === "result") {
    const controller = runtime.pending.get(message.seq);
    runtime.pending.delete(message.seq);
    if (controller) controller.receive(message);
  }
}

function live() {
  for (const controller of runtime.controllers) {
    if (!controller.form.isConnected) runtime.controllers.delete(controller);
  }
  return [...runtime.controllers];
}

function refreshAll() {
  for (const controller of live()) controller.showState();
}

// ---------------------------------------------------------------------------------------
// Offline: once the runtime is up, ask the service worker to keep what this page used.

async function keepOffline(workerResources) {
  if (!("serviceWorker" in navigator) || !window.isSecureContext) return;
  try {
    await navigator.serviceWorker.register(SERVICE_WORKER_URL);
    const registration = await navigator.serviceWorker.ready;
    const target = registration.active;
    if (!target) return;
    const urls = new Set([pageUrl(), WORKER_URL.href, import.meta.url, ...workerResources]);
    for (const entry of performance.getEntriesByType("resource")) urls.add(entry.name);
    const sameSite = [...urls].filter((url) => new URL(url).origin === location.origin);
    const reply = await ask(target, { type: "cache", urls: sameSite });
    runtime.offline = reply && reply.failed === 0 ? "ready" : "partial";
  } catch (error) {
    runtime.offline = "unavailable";
    console.warn("[calculators] offline copy not made:", error);
  }
  refreshAll();
}

function ask(target, message) {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = (event) => resolve(event.data);
    target.postMessage(message, [channel.port2]);
  });
}

function pageUrl() {
  const url = new URL(location.href);
  url.hash = "";
  return url.href;
}

// ---------------------------------------------------------------------------------------
// One controller per form on the page

class Controller {
  constructor(root, form) {
    this.root = root;
    this.form = form;
    this.id = form.dataset.calculator;
    this.timer = null;
    this.lastSeq = 0;
    this.sentAt = 0;
    this.mountedAt = performance.now();
    this.missing = [];
    this.status = root.querySelector("[data-status]");
    this.words = readJson(root.dataset.words) || { names: {}, codes: {} };
    this.reading = readJson(root.dataset.reading);
    this.primary = readJson(root.dataset.primary) || {};
    this.last = null;
    this.patterns = null; // namePatterns()
    // "warm": the runtime was already running when this page appeared (instant navigation).
    root.dataset.runtime = runtime.state === "ready" ? "warm" : "cold";
    form.addEventListener("input", () => this.schedule());
    form.addEventListener("change", () => this.schedule());
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.compute();
    });
    // Reset fires before the fields change back; act once they have, unless a calculation
    // was sent since (loading an example resets the form and computes at once: computing
    // again here would only make the reader wait for a second answer to the same inputs).
    form.addEventListener("reset", () => {
      const resetAt = performance.now();
      setTimeout(() => {
        this.syncUnits();
        if (this.sentAt < resetAt) this.compute();
      }, 0);
    });
    // Example buttons need this script; without it they stay hidden.
    for (const button of document.querySelectorAll("[data-load-example][hidden]")) button.hidden = false;
    const copy = root.querySelector("[data-copy-link]");
    if (copy) copy.addEventListener("click", () => this.copyLink(copy));
    const copyResult = root.querySelector("[data-copy-result]");
    if (copyResult) copyResult.addEventListener("click", () => this.copyResult(copyResult));
    this.watchPrimary();
    this.applyFragment(location.hash);
    this.syncUnits();
    this.showState();
  }

  // -- state shown to the user --------------------------------------------------------

  showState() {
    const root = this.root;
    const fields = this.form.querySelector("[data-fields]");
    const loading = root.querySelector("[data-loading]");
    if (FROM_FILE) {
      root.dataset.state = "file";
      const notice = root.querySelector("[data-file-notice]");
      if (notice) notice.hidden = false;
      if (loading) loading.hidden = true;
      return;
    }
    root.dataset.state = runtime.state === "idle" ? "loading" : runtime.state;
    if (runtime.offline) root.dataset.offline = runtime.offline;
    if (fields) fields.disabled = runtime.state !== "ready";
    const bar = root.querySelector("[data-progress]");
    if (runtime.state === "ready") {
      if (root.dataset.readyMs === undefined) {
        // For the benchmark and tests: when this page's calculator became usable, both
        // since the form appeared and on the document's clock (navigation start = 0).
        root.dataset.readyMs = String(Math.round(performance.now() - this.mountedAt));
        root.dataset.readyAt = performance.now().toFixed(1);
        root.dataset.startup = `worker-start:${Math.round(runtime.startedAt)} ${runtime.marks || ""}`;
      }
      if (bar) bar.hidden = true;
      const offline = runtime.offline === "ready" ? " Works offline on this device too." : "";
      this.setStatus(`Ready: results update as you type.${offline}`);
    } else if (runtime.state === "error") {
      if (bar) bar.hidden = true;
      this.setStatus(
        `The calculator could not start: ${runtime.error}. Reload the page to try again. If you ` +
          "are offline and have not used the calculators on this device before, connect once " +
          "and reload. The formula and a worked example below still show how to calculate by hand.",
      );
    } else {
      const seconds = Math.floor((performance.now() - runtime.startedAt) / 1000);
      const progress = runtime.progress;
      let detail = "";
      if (bar) bar.hidden = false;
      if (progress && progress.total) {
        detail = `: ${progress.stage || "runtime"}, ${megabytes(progress.loaded)} of ${megabytes(progress.total)} MB`;
        if (bar) {
          bar.max = progress.total;
          bar.value = Math.min(progress.loaded, progress.total);
        }
      } else if (progress) {
        detail = `: ${progress.stage || "runtime"}, ${megabytes(progress.loaded)} MB so far`;
        if (bar) bar.removeAttribute("value");
      } else if (bar) {
        bar.removeAttribute("value"); // indeterminate: the worker reports no sizes
      }
      // Two short lines on a phone, like the "Ready" line that replaces it, so the form
      // does not jump under the reader's finger when it becomes usable.
      this.setStatus(`Loading the calculator${detail}… ${seconds} s. The fields open when it is ready.`);
    }
  }

  setStatus(text) {
    if (this.status && this.status.textContent !== text) this.status.textContent = text;
  }

  // -- reading the form -----------------------------------------------------------------

  fields() {
    return [...this.form.querySelectorAll(".calc-field[data-field]")];
  }

  control(name) {
    return this.form.elements.namedItem(name);
  }

  collect() {
    const inputs = {};
    const missing = [];
    for (const field of this.fields()) {
      const name = field.dataset.field;
      const kind = field.dataset.kind;
      let value;
      if (kind === "number" || kind === "number_or_choice") {
        const special = this.control(name + CHOICE_SUFFIX);
        const text = this.control(name).value.trim();
        if (special && special.value) {
          value = special.value;
        } else if (text !== "") {
          const unit = this.control(name + UNIT_SUFFIX);
          const canonical = unit ? unit.dataset.canonical || (unit.options.length ? unit.options[0].value : null) : null;
          value = unit && unit.value !== canonical ? { value: text, unit: unit.value } : text;
        }
      } else if (kind === "boolean") {
        const chosen = this.control(name).value;
        if (chosen === "true" || chosen === "false") value = chosen === "true";
      } else {
        const chosen = this.control(name).value;
        if (chosen) value = chosen;
      }
      if (value === undefined) {
        if (!field.querySelector(".calc-optional")) missing.push(name);
      } else {
        inputs[name] = value;
      }
    }
    return { inputs, missing };
  }

  // -- computing --------------------------------------------------------------------------

  schedule() {
    this.syncUnits();
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.compute(), DEBOUNCE_MS);
  }

  compute() {
    clearTimeout(this.timer);
    if (!this.form.isConnected || runtime.state !== "ready") return;
    const { inputs, missing } = this.collect();
    this.missing = missing;
    this.writeFragment();
    const seq = ++runtime.seq;
    this.lastSeq = seq;
    this.sentAt = performance.now();
    runtime.pending.set(seq, this);
    runtime.worker.postMessage({ seq, id: this.id, inputs });
  }

  receive(message) {
    if (message.seq !== this.lastSeq || !this.form.isConnected) return; // superseded
    this.root.dataset.computeMs = message.ms.toFixed(1);
    this.root.dataset.roundtripMs = (performance.now() - this.sentAt).toFixed(1);
    let result;
    try {
      result = JSON.parse(message.json);
    } catch {
      result = { errors: [{ field: "calculator", message: "calculator: unreadable result" }] };
    }
    this.render(result);
    this.root.dataset.seq = String(message.seq);
  }

  // -- showing a result -------------------------------------------------------------------

  render(result) {
    for (const box of this.form.querySelectorAll("[data-error-for]")) {
      box.hidden = true;
      box.textContent = "";
    }
    for (const el of this.form.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
    const errors = result.errors || [];
    const shown = errors.filter((error) => !this.missing.includes(error.field));
    for (const error of shown) {
      const box = this.form.querySelector(`[data-error-for="${cssName(error.field)}"]`);
      const target = box || this.form.querySelector('[data-error-for=""]');
      const prefix = `${error.field}: `;
      const raw = box && error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
      const text = this.humanize(raw);
      target.textContent = target.textContent ? `${target.textContent} ${text}` : text;
      target.hidden = false;
      const control = box ? this.control(error.field) : null;
      if (control && control.setAttribute) control.setAttribute("aria-invalid", "true");
    }
    const ok = errors.length === 0;
    this.last = ok ? result : null;
    for (const out of this.root.querySelectorAll("[data-output]")) {
      const name = out.dataset.output;
      const text = ok ? result.display[name] : undefined;
      out.dataset.display = text === undefined || text === null ? EMPTY : String(text);
      if (text === undefined || text === null) {
        out.textContent = EMPTY;
      } else {
        out.replaceChildren(...this.outputNodes(out, result.outputs[name], String(text)));
      }
    }
    const primaryText = ok ? result.display[this.primary.output] : undefined;
    const barValue = this.root.querySelector("[data-bar-value]");
    if (barValue) barValue.textContent = primaryText === undefined ? EMPTY : this.barText(result);
    this.showBand(ok ? result : null);
    const copyResult = this.root.querySelector("[data-copy-result]");
    if (copyResult) copyResult.disabled = !ok;
    this.fillList("caps", ok ? result.caps_applied.map((n) => this.humanize(n.message)) : []);
    this.fillList("warnings", ok ? result.warnings.map((n) => this.humanize(n.message)) : []);
    const explanation = this.root.querySelector("[data-explanation]");
    if (explanation) {
      explanation.replaceChildren(...(ok ? result.explanation : []).map((line) => listItem(this.humanize(line))));
      this.root.querySelector("[data-explanation-box]").hidden = !ok || !result.explanation.length;
    }
    if (ok) {
      this.root.dataset.result = "ok";
    } else if (shown.length === 0 && this.missing.length) {
      this.root.dataset.result = "incomplete";
      this.setStatus(`Enter ${this.missing.map((name) => this.label(name)).join(", ")} to see the result.`);
      return;
    } else {
      this.root.dataset.result = "errors";
    }
    this.showState();
  }

  fillList(kind, messages) {
    const list = this.root.querySelector(`[data-${kind}]`);
    const box = this.root.querySelector(`[data-${kind}-box]`);
    if (!list || !box) return;
    list.replaceChildren(...messages.map(listItem));
    box.hidden = messages.length === 0;
  }

  // Declaration text with build shorthand turned into words: field ids become their labels,
  // spec labels such as [PC] become what they mean (the same table as the page's).
  humanize(text) {
    let out = String(text);
    for (const [code, words] of Object.entries(this.words.codes || {})) out = out.split(code).join(words);
    for (const [pattern, label] of this.namePatterns()) {
      out = out.replace(pattern, (match) => (match.endsWith(":") ? `${label}:` : label.toLowerCase()));
    }
    return out;
  }

  // Field ids as patterns, longest first, made once per form: a result's explanation has a
  // dozen lines, and compiling every pattern for every line slowed the first answer.
  namePatterns() {
    if (!this.patterns) {
      this.patterns = Object.entries(this.words.names || {})
        .filter(([name]) => name.includes("_"))
        .sort((a, b) => b[0].length - a[0].length)
        .map(([name, label]) => [new RegExp(`\\b${name}\\b:?`, "g"), label]);
    }
    return this.patterns;
  }

  // One output as nodes: schedules as tables, labelled mappings as lists, the rest as text.
  outputNodes(out, value, text) {
    const kind = out.dataset.outputKind;
    const columns = out.dataset.columns ? out.dataset.columns.split("|") : [];
    if (columns.length === 2 && Array.isArray(value) && value.length) {
      const rows = [];
      const unit = text.match(/ ([^\d\s,;.]+\/?[^\s,;]*)$/);
      if (kind === "list") {
        value.forEach((item, index) => rows.push([index === 0 ? "0 (start)" : String(index), `${item}${unit ? ` ${unit[1]}` : ""}`]));
      } else if (kind === "date_list") {
        value.forEach((item, index) => rows.push([String(index + 1), String(item)]));
      } else if (kind === "schedule" || kind === "split_schedule") {
        const parts = text.split("; ");
        value.forEach((step, index) => {
          const shown = parts[index] ? parts[index].replace(/^week [^:]+: /, "") : "";
          rows.push([String(step[0]), shown]);
        });
      }
      if (rows.length) return [table(columns, rows)];
    }
    if (kind === "mapping" && text.includes(" · ")) {
      const list = document.createElement("ul");
      list.className = "calc-mapping";
      list.replaceChildren(...text.split(" · ").map(listItem));
      return [list];
    }
    return [document.createTextNode(text)];
  }

  barText(result) {
    const text = String(result.display[this.primary.output]);
    const band = this.bandFor(result);
    const shown = band ? `${text} · ${band.marks} ${band.label}` : text;
    // A limit applied or a warning (a large dose, a policy that changes the dose) must not
    // hide behind the bar: it says there is something to check under the answer.
    const checks = result.caps_applied.length + result.warnings.length;
    return checks ? `${shown} · ⚠ check ${checks === 1 ? "the note" : `${checks} notes`} under the answer` : shown;
  }

  bandFor(result) {
    if (!this.reading || !result) return null;
    const value = result.outputs[this.reading.output];
    for (const band of this.reading.bands) {
      if (band.equals !== null && band.equals !== undefined) {
        if (value === band.equals) return band;
      } else if (typeof value === "number") {
        if ((band.low === null || value >= band.low) && (band.high === null || value <= band.high)) return band;
      }
    }
    return null;
  }

  showBand(result) {
    const box = this.root.querySelector("[data-band]");
    const next = this.root.querySelector("[data-next]");
    const band = this.bandFor(result);
    if (box) {
      box.hidden = !band;
      box.dataset.tone = band ? band.tone : "";
      box.textContent = band ? `${band.marks} ${band.label}. ${band.meaning} (${band.tier}.)` : "";
    }
    if (next) {
      next.hidden = !result || !this.reading;
      const steps = this.reading && band
        ? this.reading.steps.filter((step) => !step.bands.length || step.bands.includes(band.label))
        : [];
      const items = steps.length
        ? steps.map((step) => `${step.text} (${step.tier}.)`)
        : this.reading ? [this.reading.no_action] : [];
      const list = next.querySelector("[data-next-list]");
      if (list) list.replaceChildren(...items.map(listItem));
    }
  }

  // On a phone the result bar pins the answer to the bottom of the screen while the
  // result itself is out of sight (it is hidden again when the result is on screen).
  watchPrimary() {
    const value = this.root.querySelector("[data-primary-box] [data-output]");
    if (!value || !("IntersectionObserver" in window)) return;
    // Only an answer wholly on screen counts as seen; otherwise the bar shows it.
    const observer = new IntersectionObserver(
      (entries) => {
        for (const entry of entries) {
          this.root.dataset.primaryVisible = entry.intersectionRatio >= 0.99 ? "yes" : "no";
        }
      },
      { threshold: [0, 0.5, 0.99, 1], rootMargin: "-56px 0px 0px 0px" }, // under the header
    );
    observer.observe(value);
  }

  resultText() {
    const result = this.last;
    if (!result) return "";
    const title = (document.querySelector("h1") || {}).textContent || this.id;
    const lines = [title.trim(), `${this.primary.phrase}: ${result.display[this.primary.output]}`];
    const band = this.bandFor(result);
    if (band) lines.push(`${band.label}: ${band.meaning}`);
    for (const out of this.root.querySelectorAll(".calc-outputs [data-output]")) {
      const name = out.dataset.output;
      if (name === this.primary.output || out.closest("[data-details-box]")) continue;
      const label = out.closest(".calc-output").querySelector("dt").textContent.trim();
      lines.push(`${label}: ${result.display[name]}`);
    }
    for (const notice of [...result.caps_applied, ...result.warnings]) lines.push(`Check: ${this.humanize(notice.message)}`);
    const inputs = [];
    for (const field of this.fields()) {
      const name = field.dataset.field;
      if (!(name in result.inputs)) continue;
      inputs.push(`${this.label(name)} ${this.inputText(field, name)}`);
    }
    lines.push(`Inputs: ${inputs.join("; ")}`);
    lines.push(location.href);
    return lines.join("\n");
  }

  inputText(field, name) {
    const control = this.control(name);
    if (control instanceof RadioNodeList) {
      const chosen = [...control].find((radio) => radio.checked);
      return chosen && chosen.labels[0] ? chosen.labels[0].textContent.replace(/^✓\s*/, "").trim() : "";
    }
    if (control instanceof HTMLSelectElement) return control.selectedOptions[0] ? control.selectedOptions[0].textContent.trim() : "";
    const special = this.control(name + CHOICE_SUFFIX);
    if (special && special.value) return special.selectedOptions[0].textContent.trim();
    const unitSelect = this.control(name + UNIT_SUFFIX);
    const unitText = unitSelect ? unitSelect.selectedOptions[0].textContent : (field.querySelector(".calc-unit") || {}).textContent || "";
    return `${control.value.trim()} ${unitText.trim()}`.trim();
  }

  async copyResult(button) {
    this.writeFragment();
    const original = button.textContent;
    try {
      await navigator.clipboard.writeText(this.resultText());
      button.textContent = "Result copied";
    } catch {
      button.textContent = "Copy failed: select the result instead";
    }
    setTimeout(() => {
      button.textContent = original;
    }, 2000);
  }

  label(name) {
    const field = this.form.querySelector(`[data-field="${cssName(name)}"]`);
    const label = field && field.querySelector("label, legend");
    if (!label) return name;
    const optional = label.querySelector(".calc-optional");
    const text = label.textContent.replace(optional ? optional.textContent : "", "");
    return text.trim();
  }

  // Fields whose unit is chosen by another field show that field's choice.
  syncUnits() {
    for (const unit of this.form.querySelectorAll("[data-unit-from]")) {
      const chooser = this.control(unit.dataset.unitFrom);
      if (!chooser || !chooser.value) continue;
      const option = this.form.querySelector(
        `[name="${cssName(unit.dataset.unitFrom)}"][value="${cssName(chooser.value)}"]`,
      );
      const label = option && (option.labels && option.labels[0] ? option.labels[0].textContent : option.textContent);
      if (label) unit.textContent = label.trim();
    }
    for (const field of this.fields()) {
      const name = field.dataset.field;
      const special = this.control(name + CHOICE_SUFFIX);
      if (special) this.control(name).disabled = Boolean(special.value);
      // Show the accepted range in the unit currently chosen for this field.
      const hints = field.querySelectorAll("[data-hint-unit]");
      if (!hints.length) continue;
      const toggle = this.control(name + UNIT_SUFFIX);
      const from = field.querySelector("[data-unit-from]");
      const chooser = from ? this.control(from.dataset.unitFrom) : null;
      const unit = toggle ? toggle.value : chooser && chooser.value ? chooser.value : hints[0].dataset.hintUnit;
      for (const hint of hints) hint.hidden = hint.dataset.hintUnit !== unit;
    }
  }

  // -- the URL fragment -------------------------------------------------------------------

  state() {
    const params = new URLSearchParams();
    for (const element of this.form.elements) {
      if (!element.name || element.disabled) continue;
      if (element.type === "radio" && !element.checked) continue;
      if (element.type === "button" || element.type === "reset") continue;
      const value = element.value.trim();
      if (!value) continue;
      if (element.name.endsWith(UNIT_SUFFIX) && element.selectedIndex === 0) continue;
      params.append(element.name, value);
    }
    return params;
  }

  writeFragment() {
    const params = this.state().toString();
    const url = new URL(location.href);
    url.hash = params ? FRAGMENT_PREFIX.slice(1) + params : "";
    if (url.href !== location.href) {
      // Keep the theme's history state (it stores the scroll position there).
      history.replaceState(history.state, "", params ? url.href : url.href.replace(/#$/, ""));
    }
  }

  applyFragment(hash) {
    if (!hash || !hash.startsWith(FRAGMENT_PREFIX)) return false;
    let params;
    try {
      params = new URLSearchParams(hash.slice(FRAGMENT_PREFIX.length));
    } catch {
      return false;
    }
    const ignored = [];
    const seen = new Set();
    for (const [name, value] of params) {
      if (!FRAGMENT_NAME.test(name) || value.length > MAX_FRAGMENT_VALUE || seen.has(name)) {
        ignored.push(name);
        continue;
      }
      seen.add(name);
      if (!this.setControl(name, value)) ignored.push(name);
    }
    if (ignored.length) console.warn("[calculators] ignored in the link:", ignored.join(", "));
    this.syncUnits();
    return true;
  }

  setControl(name, value) {
    const control = this.control(name);
    if (!control) return false;
    if (control instanceof RadioNodeList) {
      for (const radio of control) {
        if (radio.value === value) {
          radio.checked = true;
          return true;
        }
      }
      return false;
    }
    if (control instanceof HTMLSelectElement) {
      if (![...control.options].some((option) => option.value === value)) return false;
      control.value = value;
      return true;
    }
    if (control instanceof HTMLInputElement) {
      if (control.type === "date" && !ISO_DATE.test(value)) return false;
      control.value = value; // validated by the calculator like anything typed
      return true;
    }
    return false;
  }

  async copyLink(button) {
    this.writeFragment();
    const original = button.textContent;
    try {
      await navigator.clipboard.writeText(location.href);
      button.textContent = "Link copied";
    } catch {
      button.textContent = "Copy the address bar instead";
    }
    setTimeout(() => {
      button.textContent = original;
    }, 2000);
  }
}

function readJson(text) {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function megabytes(bytes) {
  return (bytes / 1e6).toFixed(1);
}

function table(columns, rows) {
  const element = document.createElement("table");
  element.className = "calc-table";
  const head = element.createTHead().insertRow();
  for (const column of columns) {
    const cell = document.createElement("th");
    cell.scope = "col";
    cell.textContent = column;
    head.appendChild(cell);
  }
  const body = element.createTBody();
  for (const row of rows) {
    const tr = body.insertRow();
    for (const value of row) tr.insertCell().textContent = value;
  }
  return element;
}

function listItem(text) {
  const li = document.createElement("li");
  li.textContent = String(text);
  return li;
}

function cssName(value) {
  return window.CSS && CSS.escape ? CSS.escape(String(value)) : String(value).replace(/["\\]/g, "\\$&");
}

// ---------------------------------------------------------------------------------------
// Page scanning (on first load and after every instant navigation)

function scan() {
  for (const form of document.querySelectorAll("form[data-calculator]")) {
    if (form.dataset.bound) continue;
    const root = form.closest("[data-calculator-root]");
    if (!root) continue;
    form.dataset.bound = "true";
    startRuntime();
    const controller = new Controller(root, form);
    runtime.controllers.add(controller);
    if (runtime.state === "ready") controller.compute();
  }
}

// "Load example" buttons (data-load-example="#calc?...") and same-page links to a
// "#calc?..." fragment fill the form in place. Handling the click here, rather than letting
// the browser navigate to the fragment, keeps the theme from treating it as a page change.
function onClick(event) {
  const target = event.target instanceof Element ? event.target : null;
  const trigger = target && target.closest("[data-load-example], a[href]");
  if (!trigger) return;
  const fragment = trigger.getAttribute("data-load-example") ?? trigger.getAttribute("href");
  if (!fragment || !fragment.startsWith(FRAGMENT_PREFIX)) return;
  const controllers = live();
  if (!controllers.length) return;
  event.preventDefault();
  event.stopPropagation();
  for (const controller of controllers) {
    controller.form.reset();
    controller.applyFragment(fragment);
    controller.compute();
    controller.root.scrollIntoView({ block: "start" });
  }
}

function onLocation(url) {
  // A same-page link such as "Load example 1" changes only the fragment.
  if (!url || url.pathname !== location.pathname) return;
  for (const controller of live()) {
    if (controller.applyFragment(url.hash)) controller.compute();
  }
}

// The theme's observables exist once its bundle has run, which may be after this module
// (loaded async from the head, it can run before the page has been parsed).
function followTheme() {
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(() => scan());
  }
  if (window.location$ && typeof window.location$.subscribe === "function") {
    window.location$.subscribe((url) => onLocation(url));
  }
  scan();
}

startRuntime();
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", followTheme, { once: true });
} else {
  followTheme();
}
window.addEventListener("hashchange", () => onLocation(new URL(location.href)));
document.addEventListener("click", onClick, true);
