import { defineConfig } from 'vite';

// The panel is built into a directory of the CMake build tree (ROLLCALL_PANEL_OUT) and embedded in the rollcall
// binary from there; `npm run dev` serves it with hot reload and forwards the API to a running server
// (ROLLCALL_URL, default the `make run` address).
const server = process.env.ROLLCALL_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: process.env.ROLLCALL_PANEL_OUT ?? 'dist',
    emptyOutDir: true,
    target: 'es2020',
    // No data: URLs: the Content-Security-Policy allows only the server's own files.
    assetsInlineLimit: 0,
    reportCompressedSize: false,
    sourcemap: false,
  },
  server: {
    proxy: {
      '/api': { target: server, changeOrigin: false },
      '/healthz': server,
    },
  },
});
