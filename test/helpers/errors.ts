/** What every suite asks of a failure: that it is a MesError (then its code, field… are the test's). */
import assert from 'node:assert/strict';
import { MesError } from '@mes-kit/core';

export async function failure(promise: Promise<unknown>): Promise<MesError> {
  const error = await promise.then(
    () => assert.fail('expected a MesError'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof MesError, String(error));
  return error;
}
