// Built by `npm run build:web` (vite build web) into web/dist, served by billgraph at /dashboard.
// `npx vite web` serves it in development against a gateway on :4000 (`npm start`).
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
    chunkSizeWarningLimit: 1500,
  },
  server: { proxy: { '/graphql': 'http://127.0.0.1:4000' } },
});
