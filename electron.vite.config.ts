import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

const root = import.meta.dirname;

export default defineConfig({
  main: {
    build: {
      outDir: resolve(root, 'out/main'),
      // dependencies (tfjs and its wasm backend, zod, ws, …) stay in node_modules: the wasm backend
      // finds its .wasm files next to its own package at runtime
      externalizeDeps: true,
      rolldownOptions: {
        input: {
          index: resolve(root, 'src-main/app/index.ts'),
          // the training process started with utilityProcess.fork(out/main/trainer.js)
          trainer: resolve(root, 'src-main/trainer/index.ts'),
          // the trainer's second thread for LSTM batch parts (training/parallel), found beside it
          'train-worker': resolve(root, 'src-main/core/training/parallel/worker.ts'),
        },
        external: [/^@tensorflow\//],
      },
    },
  },
  preload: {
    build: {
      outDir: resolve(root, 'out/preload'),
      // a sandboxed preload cannot require node_modules: bundle zod in, emit CommonJS
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve(root, 'src-preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'src-renderer'),
    plugins: [svelte()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      rolldownOptions: { input: { index: resolve(root, 'src-renderer/index.html') } },
    },
  },
});
