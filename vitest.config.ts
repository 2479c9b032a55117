import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['__tests__/**/*.test.ts'],
    // End-to-end tests start real processes and servers; the bounds that
    // matter are asserted inside the tests themselves.
    testTimeout: 120_000,
    hookTimeout: 60_000
  }
});
