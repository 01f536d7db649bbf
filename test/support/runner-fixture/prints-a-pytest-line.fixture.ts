/**
 * Run only by test/unit/test-runner-output.test.ts, through `npm test`'s runner: a suite
 * whose output holds another runner's closing line, as schemathesis' summary did.
 */
test('prints a pytest-style closing line', () => {
  console.log('============================= 2 warnings in 92.15s =============================');
  expect(1 + 1).toBe(2);
});

test.skip('is skipped', () => {
  expect(true).toBe(false);
});
