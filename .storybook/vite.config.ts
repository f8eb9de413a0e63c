import { defaultClientConditions, defineConfig } from 'vite';

export default defineConfig({
  // @mes-kit/* from their TypeScript sources, not from a build.
  resolve: { conditions: ['@mes-kit/source', ...defaultClientConditions] },
  build: { chunkSizeWarningLimit: 2000 },
});
