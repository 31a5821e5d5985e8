/**
 * The browser app's build (`npm run build:web` → web/dist, served by main_app at /) and dev
 * server (`npm run dev:web`: hot reload on :5173, /api, /health and /ws proxied to main_app on
 * RECIO_PORT_MAIN_APP or 3000).
 */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const mainApp = `http://127.0.0.1:${process.env.RECIO_PORT_MAIN_APP ?? '3000'}`;

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
  },
  server: {
    proxy: {
      '/api': mainApp,
      '/health': mainApp,
      '/ws': { target: mainApp.replace('http', 'ws'), ws: true },
    },
  },
});
