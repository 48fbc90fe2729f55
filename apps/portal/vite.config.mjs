/* global process, URL */
// The Halve portal: a React single-page app built to apps/portal/dist, which apps/api serves at /.
// Vite 8 transforms JSX/TSX itself (Oxc), so no React plugin is needed.
// Dev: `npx vite --config apps/portal/vite.config.mjs` proxies /api to an API on HALVE_API (default :3000).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const api = process.env.HALVE_API ?? 'http://localhost:3000';

export default defineConfig({
  root,
  base: '/',
  publicDir: 'public',
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 900,
    rolldownOptions: {
      // react-router's "use client" directives are meaningless in a client-only bundle.
      onLog(level, log, handler) {
        if (log.code === 'MODULE_LEVEL_DIRECTIVE') return;
        handler(level, log);
      },
      output: {
        // ECharts is the largest dependency; keep it in its own cacheable chunk.
        codeSplitting: {
          groups: [
            { name: 'echarts', test: /node_modules[\\/](echarts|zrender)/ },
            {
              name: 'react',
              test: /node_modules[\\/](react|react-dom|react-router|react-router-dom|scheduler)[\\/]/,
            },
          ],
        },
      },
    },
  },
  server: { proxy: { '/api': api } },
});
