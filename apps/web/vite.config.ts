import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The app is served by the Kalaja server from apps/web/dist under a strict Content Security
// Policy: no inline scripts or styles, nothing from another origin. Vite's output fits that:
// one module entry, CSS files, hashed assets; the modulepreload polyfill (an inline helper)
// is turned off.
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: false,
    target: 'es2022',
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:3000' },
  },
});
