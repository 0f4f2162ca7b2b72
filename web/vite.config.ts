// Built by `npm run build:web` (vite build web) into web/dist, served by billgraph: the dashboard
// (index.html) at /dashboard, GraphiQL 5 (graphiql.html) at / and /graphql, their assets under /dashboard/assets/.
// `npx vite web` serves both in development against a gateway on :4000 (`npm start`).
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/dashboard/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The strict CSP allows no inline script: keep every chunk a file, no modulepreload polyfill inline.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    // GraphiQL 5's Monaco editor is one large chunk, loaded only by the GraphiQL page.
    chunkSizeWarningLimit: 4000,
    rollupOptions: {
      // GraphiQL's packages start modules with React Compiler's "use no memo"; dropping it is harmless.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
      input: {
        index: fileURLToPath(new URL('./index.html', import.meta.url)),
        graphiql: fileURLToPath(new URL('./graphiql.html', import.meta.url)),
      },
    },
  },
  // Monaco's language workers (graphiql/setup-workers/vite) as module files under assets/: the CSP's
  // script-src 'self' covers them (worker-src falls back to it), no blob: URL needed.
  worker: { format: 'es' },
  server: { proxy: { '/graphql': 'http://127.0.0.1:4000' } },
});
