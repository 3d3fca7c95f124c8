import { defineConfig } from 'vitest/config';

// Unit tests of the panel's plain modules (no DOM): node environment, tests/ mirrors src/.
export default defineConfig({
  test: { include: ['tests/**/*.test.ts'], environment: 'node' },
});
