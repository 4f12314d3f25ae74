// Precompresses the built app for serving (file.br, file.gz beside each file) and prints the
// raw, gzip and brotli sizes of every file as one JSON array. Uses Node's own zlib.
const fs = require("fs");
const path = require("path");
const zlib = require("zlib");
const dir = process.argv[1];
const sizes = [];
for (const name of fs.readdirSync(dir).sort()) {
  if (!/\.(wasm|js|css|html)$/.test(name)) continue;
  const raw = fs.readFileSync(path.join(dir, name));
  const gzip = zlib.gzipSync(raw, { level: 9 });
  const br = zlib.brotliCompressSync(raw, {
    params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
    },
  });
  fs.writeFileSync(path.join(dir, name + ".gz"), gzip);
  fs.writeFileSync(path.join(dir, name + ".br"), br);
  sizes.push({ file: name, raw: raw.length, gzip: gzip.length, brotli: br.length });
}
process.stdout.write(JSON.stringify(sizes));
