// Runs Python steps in a real MicroPython 1.27 (WebAssembly) for the device gate.
// stdin: {"package": dir, "pystack_words": n, "files": [[fs_path, host_path]], "steps": [code]}
// stdout: one JSON line {"steps": [{"out": text, "error": traceback or null}]}.
// One runPython call per step: the build collects garbage only when a call returns.
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { join, dirname } from "node:path";

const job = JSON.parse(readFileSync(0, "utf8"));
const entry = join(job.package, "micropython.mjs");
const { loadMicroPython } = await import(pathToFileURL(entry).href);
let out = [];
const keep = (bytes) => out.push(Buffer.from(bytes));
const mp = await loadMicroPython({
  pystack: job.pystack_words, linebuffer: false, stdout: keep, stderr: keep,
});
for (const [fsPath, hostPath] of job.files) {
  mp.FS.mkdirTree(dirname(fsPath));
  mp.FS.writeFile(fsPath, readFileSync(hostPath));
}
const results = [];
for (const code of job.steps) {
  out = [];
  let error = null;
  try {
    mp.runPython(code);
  } catch (exc) {
    error = String(exc.message || exc);
  }
  results.push({ out: Buffer.concat(out).toString("utf8"), error });
}
process.stdout.write(JSON.stringify({ steps: results }) + "\n");
