// Run calculator cases in the real Pyodide runtime under Node, the way the browser worker
// does (same lock file, same wheel, same trimmed standard library, same
// registry.run_json), and print the results as JSON.
//
//   node run_pyodide.mjs <pyodide-dir> <bundle-dir> <cases.json> [--modules]
//
// cases.json is [[calculator_id, json_text], ...]; the output is the list of result texts.
// The bundle's calculators-stdlib.zip, when there, replaces Pyodide's python_stdlib.zip.
// With --modules the output is {results, modules}: every module loaded from the standard
// library archive by the end (build_tools.wheel --observe-stdlib lists them).

import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [runtimeDir, bundleDir, casesFile, flag] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(path.join(runtimeDir, "pyodide.mjs")).href);
const lock = JSON.parse(await readFile(path.join(bundleDir, "pyodide-lock.json"), "utf8"));
const stdlib = path.join(bundleDir, "calculators-stdlib.zip");
const pyodide = await loadPyodide({
  indexURL: runtimeDir + path.sep,
  lockFileContents: lock,
  packageBaseUrl: bundleDir + path.sep,
  ...(existsSync(stdlib) ? { stdLibURL: stdlib } : {}),
  stdout: () => {},
});
await pyodide.loadPackage("calculators", { messageCallback: () => {} });
const runJson = pyodide.pyimport("calculators.registry").run_json;
const cases = JSON.parse(await readFile(casesFile, "utf8"));
const results = cases.map(([id, text]) => runJson(id, text));
if (flag === "--modules") {
  const modules = pyodide
    .runPython(
      `import sys
sorted({getattr(m, "__file__", None) or "" for m in list(sys.modules.values())})`,
    )
    .toJs();
  process.stdout.write(JSON.stringify({ results, modules }));
} else {
  process.stdout.write(JSON.stringify(results));
}
