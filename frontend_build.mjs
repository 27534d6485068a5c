// The front-end build (README "Front end"): esbuild bundles frontend_static/ into
// content-hashed, minified ES modules split per screen, plus one CSS file, and writes
// manifest.json for the server (the shell's <script>/<link> tags, the service worker's
// precache list). Run by `python manage.py build_frontend` (`make build`), which passes
// the configuration as JSON: it knows where settings.STATICFILES_DIRS put each vendor file.
//
// Entry points are found, never listed: the shell, every screen a domain's routes.js
// imports, and every domain's strings file, so a new domain folder is built as it is.

import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import * as esbuild from "esbuild";

const config = JSON.parse(process.argv[2]);
// source: frontend_static/; outdir: served under /static/<prefix>/; staticDirs: [[prefix, dir], …]
const { source, outdir, manifest, prefix, staticDirs, vendorStylesheets } = config;

const domains = readdirSync(source, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

const entryPoints = [path.join(source, "shell", "app.js")];
const stylesheets = [];
for (const domain of domains) {
  const dir = path.join(source, domain);
  const files = readdirSync(dir).sort();
  if (files.includes("routes.js")) {
    const registry = readFileSync(path.join(dir, "routes.js"), "utf8");
    for (const [, module] of registry.matchAll(/import\("\.\/([\w.-]+\.js)"\)/g)) entryPoints.push(path.join(dir, module));
  }
  for (const file of files) {
    if (/^strings\.[\w-]+\.js$/.test(file)) entryPoints.push(path.join(dir, file));
    if (file.endsWith(".css")) stylesheets.push(path.join(dir, file));
  }
}
// The app's own rules after the vendors' (they override Leaflet's), common/app.css first.
stylesheets.sort((a, b) => Number(!a.endsWith(`${path.sep}common${path.sep}app.css`)) - Number(!b.endsWith(`${path.sep}common${path.sep}app.css`)));
const CSS_ENTRY = "styles.css";

/** A static URL path ("vendor/leaflet/x.js") → the file settings.STATICFILES_DIRS serves there. */
function staticFile(urlPath) {
  for (const [dirPrefix, dir] of staticDirs) {
    if (urlPath.startsWith(`${dirPrefix}/`)) return path.join(dir, urlPath.slice(dirPrefix.length + 1));
  }
  return null;
}

// The sources import vendor files by their URL ("../../vendor/idb/index.js"), so that they run
// unbundled too; here those URLs are mapped back to the files they are served from.
const staticUrls = {
  name: "static-urls",
  setup(build) {
    build.onResolve({ filter: /\/vendor\// }, (args) => {
      if (!args.importer.startsWith(source)) return undefined;
      const fromUrl = path.posix.join("app", path.relative(source, args.resolveDir).split(path.sep).join("/"));
      const file = staticFile(path.posix.normalize(path.posix.join(fromUrl, args.path)));
      return file ? { path: file } : { errors: [{ text: `no static file for ${args.path}` }] };
    });
    build.onResolve({ filter: new RegExp(`^${CSS_ENTRY}$`) }, () => ({ path: CSS_ENTRY, namespace: "styles" }));
    build.onLoad({ filter: /.*/, namespace: "styles" }, () => ({
      contents: [...vendorStylesheets, ...stylesheets].map((file) => `@import ${JSON.stringify(file)};`).join("\n"),
      loader: "css",
      resolveDir: source,
    }));
  },
};

const result = await esbuild.build({
  entryPoints: [...entryPoints, { in: CSS_ENTRY, out: "shell/styles" }],
  outdir,
  outbase: source,
  bundle: true,
  splitting: true,
  format: "esm",
  // Top-level await (each domain's strings) and the syntax the sources use; Android's WebView updates itself.
  target: ["es2022", "chrome100", "safari15"],
  minify: true,
  // No source maps: they carry paths relative to the output, which would change the hashed
  // names from one machine to the next (every app server must name the same files). To debug,
  // FRONTEND_BUILD=0 serves the sources as they are.
  sourcemap: false,
  // Every output sits two folders below STATIC_URL (build/<domain>/x.js, build/chunks/x.js), like the
  // sources (app/<domain>/x.js): URLs built from import.meta.url ("../../vendor/…") keep working.
  entryNames: "[dir]/[name]-[hash]",
  chunkNames: "chunks/[name]-[hash]",
  assetNames: "assets/[name]-[hash]",
  loader: { ".png": "file", ".svg": "file" },
  metafile: true,
  legalComments: "none",
  logLevel: "warning",
  plugins: [staticUrls],
});

// Precompressed copies: WhiteNoise serves them as they are (finders or collectstatic alike).
const outputs = {};
for (const [file, meta] of Object.entries(result.metafile.outputs)) {
  const url = `${prefix}/${path.relative(outdir, file).split(path.sep).join("/")}`;
  const bytes = readFileSync(file);
  const compress = /\.(js|css|svg)$/.test(file);
  // A hashed name means the same bytes: copies from an earlier build are still right (brotli at
  // its best setting is most of the build's time).
  const reuse = compress && existsSync(`${file}.gz`) && existsSync(`${file}.br`);
  const gzip = reuse ? readFileSync(`${file}.gz`) : gzipSync(bytes, { level: 9 });
  if (compress && !reuse) {
    writeFileSync(`${file}.gz`, gzip);
    writeFileSync(`${file}.br`, brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
  }
  outputs[url] = {
    bytes: bytes.length,
    gzip: gzip.length,
    entry: !meta.entryPoint ? null : meta.entryPoint.startsWith("styles:") ? CSS_ENTRY : path.relative(source, meta.entryPoint).split(path.sep).join("/"),
    // The source modules in this file (frontend_static/-relative; vendor files by their path).
    sources: Object.keys(meta.inputs).map((input) => {
      const absolute = path.resolve(input);
      return absolute.startsWith(source + path.sep) ? path.relative(source, absolute).split(path.sep).join("/") : input;
    }),
    imports: meta.imports.filter((imported) => !imported.external).map((imported) => ({
      url: `${prefix}/${path.relative(outdir, imported.path).split(path.sep).join("/")}`,
      kind: imported.kind,
    })),
  };
}
// Images a module names by URL (new URL("../common/icons/icon-192.png", import.meta.url)) are
// copied as they are, to the same place relative to the built modules (two folders down).
for (const entry of readdirSync(source, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !/\.(png|svg|jpe?g|webp|gif|ico)$/.test(entry.name)) continue;
  const from = path.join(entry.parentPath ?? entry.path, entry.name);
  const relative = path.relative(source, from).split(path.sep).join("/");
  const bytes = readFileSync(from);
  mkdirSync(path.dirname(path.join(outdir, relative)), { recursive: true });
  writeFileSync(path.join(outdir, relative), bytes);
  outputs[`${prefix}/${relative}`] = { bytes: bytes.length, gzip: bytes.length, entry: null, sources: [relative], imports: [] };
}
const byEntry = Object.fromEntries(Object.entries(outputs).filter(([, out]) => out.entry).map(([url, out]) => [out.entry, url]));
const entry = byEntry["shell/app.js"];
const data = {
  entry,
  stylesheet: byEntry[CSS_ENTRY],
  // What the entry imports statically: <link rel="modulepreload"> in the shell.
  preload: outputs[entry].imports.filter((imported) => imported.kind === "import-statement").map((imported) => imported.url),
  byEntry,
  outputs,
};
data.version = createHash("sha256").update(JSON.stringify(outputs)).digest("hex").slice(0, 16);
mkdirSync(path.dirname(manifest), { recursive: true });
writeFileSync(`${manifest}.tmp`, JSON.stringify(data, null, 1));
renameSync(`${manifest}.tmp`, manifest);
// Files of earlier builds go once nobody can still be using them: a page (or a test run's
// server) opened before this build may ask for them for a while. Hashed names never clash.
const current = new Set(Object.keys(result.metafile.outputs).map((file) => path.resolve(file)));
const KEEP_MS = 3600 * 1000;
for (const entry of readdirSync(outdir, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile()) continue;
  const file = path.join(entry.parentPath ?? entry.path, entry.name);
  if (current.has(file.replace(/\.(gz|br)$/, "")) || outputs[`${prefix}/${path.relative(outdir, file).split(path.sep).join("/")}`]) continue;
  if (Date.now() - statSync(file).mtimeMs > KEEP_MS) rmSync(file);
}
const total = Object.values(outputs).reduce((sum, out) => sum + out.gzip, 0);
console.log(`front end built: ${Object.keys(outputs).length} files, ${(total / 1024).toFixed(0)} KB gzipped, ${entryPoints.length} entry points`);
