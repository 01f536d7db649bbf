// `npm run setup`: install everything the stack and the tests need (idempotent).
import { setup, SetupError } from './tools.mjs';

try {
  setup({ forTests: process.argv.includes('--tests') });
} catch (err) {
  if (err instanceof SetupError) {
    console.error(`setup failed: ${err.message}`);
    process.exit(1);
  }
  throw err;
}
