// Copies the two browser files SilverShield serves from its own static folder (government intranets
// reach no CDN). Runs after `npm ci` (package.json "postinstall"); ./dev runs it again when a file is
// missing. Only the minified builds are copied: nothing else from node_modules is served.
import { copyFileSync, existsSync, mkdirSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const vendor = join(root, "silvershield", "static", "vendor");

const files = [
  ["htmx.org/dist/htmx.min.js", "htmx/htmx.min.js"],
  ["echarts/dist/echarts.min.js", "echarts/echarts.min.js"],
];

let failed = false;
for (const [from, to] of files) {
  const source = join(root, "node_modules", from);
  const target = join(vendor, to);
  if (!existsSync(source)) {
    console.error(`vendor-assets: ${relative(root, source)} is missing; run "npm ci" first`);
    failed = true;
    continue;
  }
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(source, target);
  const kib = Math.round(statSync(target).size / 1024);
  console.log(`vendor-assets: ${relative(root, target)} (${kib} KiB)`);
}
process.exit(failed ? 1 : 0);
