import { isVsmError, type VsmError } from '../src/errors.js';

/** The VsmError `run` throws; any other error is rethrown, and no error at all fails the test. */
export function thrownVsmError(run: () => unknown): VsmError {
  try {
    run();
  } catch (error) {
    if (isVsmError(error)) return error;
    throw error;
  }
  throw new Error('expected a VsmError');
}
