import { readdir, readFile, writeFile } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/** The text files of the build; images and fonts (PNG, WOFF2) are compressed formats already. */
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.svg', '.json', '.txt']);

/**
 * Writes `<file>.br` (brotli, quality 11) and `<file>.gz` (gzip, level 9) beside each text file
 * of the build, when smaller. The server sends them to browsers that accept them: the best
 * ratio, paid once per build (about 1.5 s of CPU, on zlib's threads) instead of at every start.
 * See docs/decisions/0006-compression.md.
 */
function precompress(): Plugin {
  const brotli = promisify(brotliCompress);
  const gzipAsync = promisify(gzip);
  let outDir = '';
  return {
    name: 'kalaja-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    async closeBundle() {
      const names = (await readdir(outDir, { recursive: true })).filter((n) => COMPRESSIBLE.has(extname(n)));
      await Promise.all(
        names.map(async (name) => {
          const path = join(outDir, name);
          const body = await readFile(path);
          const copies = await Promise.all([
            brotli(body, {
              params: {
                [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
                [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
                [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
              },
            }).then((b) => [`${path}.br`, b] as const),
            gzipAsync(body, { level: 9 }).then((b) => [`${path}.gz`, b] as const),
          ]);
          for (const [file, bytes] of copies) if (bytes.length < body.length) await writeFile(file, bytes);
        }),
      );
    },
  };
}

// The app is served by the Kalaja server from apps/web/dist under a strict Content Security
// Policy: no inline scripts or styles, nothing from another origin. Vite's output fits that:
// one module entry, CSS files, hashed assets; the modulepreload polyfill (an inline helper)
// is turned off.
export default defineConfig({
  plugins: [react(), precompress()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: false,
    target: 'es2022',
    rolldownOptions: {
      // A module imported both statically and with `import()` stays in the chunk that imports
      // it statically: the page meant to load later ships with the first one, and only a
      // warning says so. Such a build fails instead (the first page's budget depends on it).
      onLog(level, log, handler) {
        if (log.code === 'INEFFECTIVE_DYNAMIC_IMPORT') throw new Error(`[${log.code}] ${log.message}`);
        handler(level, log);
      },
    },
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:3000' },
  },
});
