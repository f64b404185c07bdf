import { defineConfig } from 'vitest/config';

// The multi-node suite needs both services; without them it is not collected, and the summary
// reporter says so and names the variables that enable it.
const scaleOut = Boolean(process.env.DATABASE_URL && process.env.REDIS_URL);

// Three suites: unit (pure functions, fast), integration (real HTTP, socket.io, database and
// mediasoup in this process), e2e (headless Chromium against a real server). `npm test` runs all.
export default defineConfig({
  test: {
    reporters: ['default', './tests/summaryReporter.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          exclude: scaleOut ? [] : ['tests/integration/scaleOut.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 60_000,
          // Each file starts its own app with mediasoup workers; two cores fit two at a time.
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 90_000,
          // Browsers are heavy on two cores: one e2e file at a time.
          fileParallelism: false,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
