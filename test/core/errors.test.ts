import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MES_ERROR_CODES, MesError, normalizeError } from '@mes-kit/core';

const OUTCOME = {
  resourceType: 'OperationOutcome' as const,
  issue: [{ severity: 'error', code: 'invalid', diagnostics: 'Bundle.entry[1] is not valid.' }],
};

describe('MesError', () => {
  it('crosses the wire as JSON and comes back the same, without its cause', () => {
    const cause = new Error('Bearer eyJhbGciOiJSUzI1NiJ9.secret');
    const original = new MesError('MES_REJECTED', {
      operation: 'send-document',
      field: 'title',
      status: 422,
      outcome: OUTCOME as never,
      cause,
    });
    const wire = JSON.parse(JSON.stringify(original));
    assert.deepEqual(wire, {
      code: 'MES_REJECTED',
      operation: 'send-document',
      field: 'title',
      status: 422,
      outcome: OUTCOME,
    });
    assert.ok(!JSON.stringify(wire).includes('secret'), 'the cause stays on the server');
    const back = MesError.fromJSON(wire);
    assert.ok(back instanceof MesError);
    assert.deepEqual(back.toJSON(), original.toJSON());
    assert.equal(back.message, original.message);
    assert.equal(back.retryable, false);
    assert.equal(back.cause, undefined);
  });

  it('keeps only what is set, and whether a retry may help, for every code', () => {
    for (const code of MES_ERROR_CODES) {
      const back = MesError.fromJSON(JSON.parse(JSON.stringify(new MesError(code))));
      assert.deepEqual(back.toJSON(), { code });
      assert.equal(
        back.retryable,
        ['MES_RATE_LIMITED', 'MES_UNAVAILABLE', 'MES_NETWORK', 'MES_HOST_FAILED'].includes(code),
        code,
      );
    }
  });

  it('an unknown or missing code from the wire is an invalid response, not a crash', () => {
    for (const json of [
      { code: 'MES_SOMETHING_NEW', operation: 'send-document', field: 'title' },
      { code: 'toString' },
      { code: 42 },
      {},
      null,
      'MES_NETWORK',
    ]) {
      const error = MesError.fromJSON(json);
      assert.equal(error.code, 'MES_INVALID_RESPONSE', JSON.stringify(json));
    }
    const typed = MesError.fromJSON({ code: 'MES_INVALID_INPUT', field: 7, status: '400' });
    assert.deepEqual(typed.toJSON(), { code: 'MES_INVALID_INPUT' }, 'fields of the wrong type are dropped');
  });

  it('says where it happened in its developer message, and `in` attributes it without losing the rest', () => {
    const error = new MesError('MES_INVALID_INPUT', { field: 'ref', status: 400 });
    assert.match(error.message, /field ref/);
    const attributed = error.in('send-document');
    assert.deepEqual(attributed.toJSON(), {
      code: 'MES_INVALID_INPUT',
      operation: 'send-document',
      field: 'ref',
      status: 400,
    });
    assert.match(attributed.message, /send-document/);
    assert.equal(attributed.in('send-document'), attributed);
  });

  it('normalizeError types whatever was thrown', () => {
    const cases: [unknown, string][] = [
      [new TypeError('fetch failed'), 'MES_NETWORK'],
      [new DOMException('timed out', 'TimeoutError'), 'MES_NETWORK'],
      [new DOMException('aborted', 'AbortError'), 'MES_ABORTED'],
      [new SyntaxError('Unexpected token <'), 'MES_INVALID_RESPONSE'],
      ['a bare string', 'MES_INVALID_RESPONSE'],
      [new MesError('MES_TOO_LARGE'), 'MES_TOO_LARGE'],
    ];
    for (const [thrown, code] of cases) {
      const error = normalizeError(thrown, 'find-documents');
      assert.equal(error.code, code, String(thrown));
      assert.equal(error.operation, 'find-documents');
    }
  });
});
