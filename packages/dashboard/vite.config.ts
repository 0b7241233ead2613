// The dashboard's bundle: Preact through esbuild's automatic JSX runtime, served by the API
// under /dashboard/. `npm run build` builds it into dist/dashboard; `npx vite packages/dashboard`
// serves it with live reload, proxying the API on port 3000.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/dashboard/',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: { target: 'es2022', sourcemap: true, chunkSizeWarningLimit: 200 },
  server: { proxy: { '/api': 'http://127.0.0.1:3000', '/dashboard/local-sign-in': 'http://127.0.0.1:3000' } },
});
