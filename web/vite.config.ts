import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

// Paths are relative to this file, so the build works from any working directory.
const here = decodeURIComponent(new URL('.', import.meta.url).pathname);

/**
 * Writes a brotli (.br) and a gzip (.gz) copy beside every text file of the build, once, at build time:
 * the server sends the copy the browser accepts (@fastify/static's preCompressed), so no answer is
 * compressed per request and a county office's slow link carries a quarter of the bytes.
 */
function precompress(outDir: string): Plugin {
  const walk = async (dir: string): Promise<string[]> => {
    const out: string[] = [];
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) out.push(...(await walk(path)));
      else out.push(path);
    }
    return out;
  };
  return {
    name: 'minping-precompress',
    apply: 'build',
    async closeBundle() {
      for (const file of await walk(outDir)) {
        if (!/\.(js|css|html|svg|json|txt|map)$/.test(file) || (await stat(file)).size < 1024) continue;
        const body = await readFile(file);
        await writeFile(
          `${file}.br`,
          brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
        );
        await writeFile(`${file}.gz`, gzipSync(body, { level: 9 }));
      }
    },
  };
}

const outDir = `${here}../dist/web`;

export default defineConfig({
  root: here,
  base: '/',
  plugins: [react(), precompress(outDir)],
  build: {
    outDir,
    emptyOutDir: true,
    chunkSizeWarningLimit: 2500,
    sourcemap: false,
  },
  server: {
    // `npm run dev` serves the API on 3000; `npx vite --config web/vite.config.ts` proxies to it.
    proxy: { '/api': 'http://127.0.0.1:3000' },
  },
});
