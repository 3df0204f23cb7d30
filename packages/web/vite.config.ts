import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
// `npm run dev` proxies to the API process it starts, wherever DATAPOLIS_HOST/PORT put it.
const apiTarget = `http://${process.env.DATAPOLIS_HOST ?? '127.0.0.1'}:${process.env.DATAPOLIS_PORT ?? '8080'}`;

export default defineConfig({
  root,
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    // antd alone is past Vite's default 500 kB warning; the limit only guards against surprises.
    chunkSizeWarningLimit: 1500,
  },
  server: {
    proxy: {
      '/api': { target: apiTarget, changeOrigin: false },
      '/metrics': { target: apiTarget, changeOrigin: false },
    },
  },
});
