/**
 * Fixed payload keys for the time-skipping workflow tests and the replay of the histories they
 * record (issue 15): a recorded encrypted history must be readable by the replay test later, so
 * these keys live in the repository. They protect nothing; never configure them anywhere else.
 */
export const TEST_CODEC_KEYS = {
  TEMPORAL_PAYLOAD_KEYS: 'replay-test-1:syrrqRuIU7B6wAnXoZ5466SxACgg1Ws9ZRGLsCrmjfU=',
  TEMPORAL_BALLOT_PUBLIC_KEYS: 'ballot-replay-test-1:MCowBQYDK2VuAyEApDM8eB4nVwVWZMFY8nMUCcgb1i7XG5+rYoJPcp9ySSY=',
  TEMPORAL_BALLOT_PRIVATE_KEYS: 'ballot-replay-test-1:MC4CAQAwBQYDK2VuBCIEIIi4vw+HC9uyNLWD1qZ3U7RLab5T1IqGzdgFQqyPv9Jb',
};
