import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/**
 * The whiteboard's fonts (Excalidraw loads them at runtime) are served from our own origin at
 * /excalidraw-assets/fonts/ instead of a public CDN: a self-hosted desk works offline and tells
 * no third party who is drawing. See client/src/board/assets.ts.
 */
function excalidrawFonts(): Plugin {
  const source = fileURLToPath(
    new URL('./node_modules/@excalidraw/excalidraw/dist/prod/fonts', import.meta.url),
  );
  const prefix = '/excalidraw-assets/fonts/';
  return {
    name: 'livedesk-excalidraw-fonts',
    writeBundle(options) {
      if (options.dir) fs.cpSync(source, path.join(options.dir, prefix), { recursive: true });
    },
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const url = req.url?.split('?')[0] ?? '';
        if (!url.startsWith(prefix)) return next();
        const file = path.join(source, decodeURIComponent(url.slice(prefix.length)));
        if (!file.startsWith(source + path.sep) || !fs.existsSync(file)) return next();
        res.setHeader('Content-Type', 'font/woff2');
        fs.createReadStream(file).pipe(res);
      });
    },
  };
}

// Builds the React client from client/ into dist/client, which the server serves on its own port.
// `npm run dev` users can run `npx vite` alongside the server: API and socket calls are proxied.
export default defineConfig({
  root: 'client',
  plugins: [react(), excalidrawFonts()],
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    sourcemap: true,
    // The website widget's page (/widget, inside the loader's iframe) is its own lean entry.
    rollupOptions: {
      input: {
        main: fileURLToPath(new URL('./client/index.html', import.meta.url)),
        widget: fileURLToPath(new URL('./client/widget.html', import.meta.url)),
      },
    },
  },
  server: {
    proxy: {
      '/api': 'http://localhost:3000',
      '/socket.io': { target: 'http://localhost:3000', ws: true },
    },
  },
});
