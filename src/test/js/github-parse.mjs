// Parses GitHub Actions files with GitHub's own parser, @actions/workflow-parser (the package's
// directory is the first argument): "workflow FILE..." or "action FILE...". Prints one line per
// error, "FILE: message", and exits 1 when there is any.
import { register } from "node:module";
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

// the package imports its JSON schemas without import attributes, which Node requires
register("data:text/javascript," + encodeURIComponent(`
export async function load(url, context, next) {
  if (url.endsWith(".json")) return next(url, { ...context, importAttributes: { type: "json" } });
  return next(url, context);
}`));

const [pkg, kind, ...files] = process.argv.slice(2);
const dist = (path) => pathToFileURL(`${pkg}/dist/${path}`).href;
const { parseWorkflow, convertWorkflowTemplate, NoOperationTraceWriter } = await import(dist("index.js"));
const { parseAction, convertActionTemplate } = await import(dist("actions/index.js"));

let bad = 0;
for (const name of files) {
  const file = { name, content: readFileSync(name, "utf8") };
  const result = kind === "action"
    ? parseAction(file, new NoOperationTraceWriter())
    : parseWorkflow(file, new NoOperationTraceWriter());
  const errors = result.context.errors.getErrors().map((e) => e.message);
  if (result.value !== undefined) {
    const template = kind === "action"
      ? convertActionTemplate(result.context, result.value)
      : await convertWorkflowTemplate(result.context, result.value);
    for (const e of (await template).errors ?? []) errors.push(e.Message ?? e.message ?? JSON.stringify(e));
    for (const e of result.context.errors.getErrors()) errors.push(e.message);
  }
  for (const e of new Set(errors)) {
    console.log(`${name}: ${e}`);
    bad++;
  }
}
process.exit(bad ? 1 : 0);
