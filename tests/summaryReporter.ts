import type { Reporter, SerializedError, TestModule } from 'vitest/node';

/**
 * Ends the run with one plain line, `vitest: N passed, N failed, N skipped`, that CI logs and
 * humans can read at a glance, and says which suites did not run for lack of a service.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>) {
    let passed = 0;
    // An unhandled error fails the run even when every test passed.
    let failed = unhandledErrors.length;
    let skipped = 0;
    for (const mod of testModules) {
      let failedHere = 0;
      for (const test of mod.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failedHere++;
        else skipped++;
      }
      // A file that failed to load, or whose beforeAll hook failed (its tests are then reported
      // as skipped), is a failure even when no single test failed.
      if (mod.state() === 'failed' && failedHere === 0) failedHere = 1;
      failed += failedHere;
    }
    if (!process.env.DATABASE_URL) {
      console.log(
        '\nNot run: the PostgreSQL variants of the database suites. Set DATABASE_URL ' +
          '(e.g. postgres://postgres@127.0.0.1:5432/test) to run them; they ran on PGlite only.',
      );
    }
    if (!(process.env.DATABASE_URL && process.env.REDIS_URL)) {
      console.log(
        'Not run: the two-node scale-out suite (tests/integration/scaleOut.test.ts). Set both ' +
          'DATABASE_URL and REDIS_URL (e.g. redis://127.0.0.1:6379) to run it.',
      );
    }
    console.log(`\nvitest: ${passed} passed, ${failed} failed, ${skipped} skipped`);
  }
}
