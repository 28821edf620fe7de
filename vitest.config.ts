import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/helpers/global-setup.ts'],
    // Safety interlock: no test may restart or shut down this machine (src/host/live.ts).
    env: { SYNCDOCTOR_NO_REBOOT: '1' },
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // End-to-end tests start the real binary; two cores, so keep the pool small.
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
  },
});
