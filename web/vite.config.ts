import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// The app is static files: index.html, hashed assets, the PWA manifest and service worker (public/),
// and config.json, which is not built here but served next to the app from the stack's outputs.
export default defineConfig({
  plugins: [react()],
  build: { outDir: "dist", emptyOutDir: true, sourcemap: false },
  // `npm run dev`: live reloading on 5173 (an origin the stack allows), config.json from the stack's own
  // web server (`make serve WEB_PORT=5174`)
  server: {
    host: "127.0.0.1",
    port: 5173,
    strictPort: true,
    proxy: { "/config.json": process.env.WEB_CONFIG_FROM ?? "http://127.0.0.1:5174" },
  },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.{ts,tsx}"],
    setupFiles: ["src/test/setup.ts"],
  },
});
