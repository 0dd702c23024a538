/// <reference types="vitest/config" />
import { defineConfig, type Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';
import { fileURLToPath } from 'node:url';

/**
 * Fontsource's CSS lists a .woff fallback after every .woff2 chunk. WebKitGTK reads woff2,
 * so the fallbacks would only double the size of dist/ (≈5 MB per weight) without ever
 * being fetched. Drop them at build time instead of hand-copying the font CSS.
 */
function woff2Only(): Plugin {
  return {
    name: 'woff2-only',
    enforce: 'pre',
    transform(code, id) {
      if (!/@fontsource[\\/].*\.css$/.test(id)) return null;
      return { code: code.replace(/,\s*url\([^)]*\.woff\)\s*format\('woff'\)/g, ''), map: null };
    },
  };
}

export default defineConfig({
  // Relative base: Tauri serves ui/dist from its own protocol, not from a web root.
  base: './',
  plugins: [woff2Only(), svelte(), svelteTesting()],
  resolve: {
    alias: { $lib: fileURLToPath(new URL('./src/lib', import.meta.url)) },
  },
  clearScreen: false,
  server: { port: 1420, strictPort: true },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Fonts stay files (font-src 'self'), never inlined as data: URIs.
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1024,
  },
  test: {
    environment: 'happy-dom',
    include: ['src/**/*.test.ts'],
    setupFiles: ['src/test/setup.ts'],
  },
});
