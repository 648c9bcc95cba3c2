import { vitePlugin } from "xmpp-push/bundler";

export default {
  plugins: [vitePlugin()],
  // `vite build` makes the page (index.html) and the service worker: one classic script at /sw.js.
  builder: {},
  environments: {
    client: {},
    sw: {
      consumer: "client",
      build: {
        emptyOutDir: false,
        rolldownOptions: { input: "src/sw.js", output: { format: "iife", entryFileNames: "sw.js" } },
      },
    },
  },
};
