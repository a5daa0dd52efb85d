import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The web client, built into client/dist, which the Nest server serves at the same origin as the
 * API. `vite --config client/vite.config.mts` runs a dev server that forwards the API and
 * Socket.IO to a Maitred on MAITRED_URL (default http://localhost:3000).
 */
const root = fileURLToPath(new URL('.', import.meta.url));
const target = process.env.MAITRED_URL ?? 'http://localhost:3000';

export default defineConfig({
  root,
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 400,
  },
  server: {
    proxy: {
      '/api': target,
      '/health': target,
      '/socket.io': { target, ws: true },
    },
  },
});
