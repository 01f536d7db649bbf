/** Run only by test/unit/test-runner-output.test.ts: a suite with one failing test. */
test('passes', () => {
  expect(2).toBe(2);
});

test('fails', () => {
  expect(2).toBe(3);
});
