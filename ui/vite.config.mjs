// The web interface: Vue single-file components compiled at build time (no
// template compiler, no eval in the browser: the strict CSP holds), Element
// Plus imported where used, every asset hashed and precompressed (gzip and
// brotli) so that duban serve sends the files as they are.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import Components from 'unplugin-vue-components/vite';
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const outDir = join(root, '..', 'build', 'web');

function files(dir) {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

// .gz and .br beside each file worth compressing (the server picks one by Accept-Encoding).
const precompress = {
  name: 'duban-precompress',
  apply: 'build',
  closeBundle() {
    for (const f of files(outDir)) {
      if (!/\.(js|css|html|svg|json|txt)$/.test(f)) continue;
      const data = readFileSync(f);
      if (data.length < 512) continue;
      writeFileSync(`${f}.gz`, gzipSync(data, { level: 9 }));
      writeFileSync(`${f}.br`, brotliCompressSync(data, {
        params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length },
      }));
    }
  },
};

export default defineConfig({
  root,
  base: '/',
  plugins: [vue(), Components({ resolvers: [ElementPlusResolver()], dts: false }), precompress],
  build: {
    outDir,
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: false,
    chunkSizeWarningLimit: 1200,
    // the staff's app, and the two public pages (码上评, tracking) that carry no framework
    rollupOptions: { input: { index: join(root, 'index.html'), q: join(root, 'q.html'), t: join(root, 't.html') } },
  },
});
