// Run calculator cases in the real Pyodide runtime under Node, the way the browser worker
// does (same lock file, same wheel, same registry.run_json), and print the results as JSON.
//
//   node run_pyodide.mjs <pyodide-dir> <bundle-dir> <cases.json>
//
// cases.json is [[calculator_id, json_text], ...]; the output is the list of result texts.

import { readFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [runtimeDir, bundleDir, casesFile] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(path.join(runtimeDir, "pyodide.mjs")).href);
const lock = JSON.parse(await readFile(path.join(bundleDir, "pyodide-lock.json"), "utf8"));
const pyodide = await loadPyodide({
  indexURL: runtimeDir + path.sep,
  lockFileContents: lock,
  packageBaseUrl: bundleDir + path.sep,
  stdout: () => {},
});
await pyodide.loadPackage("calculators", { messageCallback: () => {} });
const runJson = pyodide.pyimport("calculators.registry").run_json;
const cases = JSON.parse(await readFile(casesFile, "utf8"));
const results = cases.map(([id, text]) => runJson(id, text));
process.stdout.write(JSON.stringify(results));
