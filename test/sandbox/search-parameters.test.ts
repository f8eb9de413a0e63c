import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FhirError } from '../../packages/sandbox/src/fhir/outcome.js';
import {
  dateFilter,
  identifierCondition,
  matchesToken,
  parseCount,
  parseOffset,
  parseSort,
  parseToken,
  rejectUnknownParameters,
} from '../../packages/sandbox/src/fhir/search.js';

/** Runs `read` and returns the refusal it throws, for its status, expression and text. */
function refusal(read: () => unknown): FhirError {
  try {
    read();
  } catch (error) {
    assert.ok(error instanceof FhirError);
    return error;
  }
  assert.fail('expected a refusal');
}

const params = (query: string) => new URLSearchParams(query);

describe('sandbox search parameters, shared by every search', () => {
  it('reads tokens with a system, an empty system or none', () => {
    assert.deepEqual(parseToken('urn:oid:1.2|abc'), { system: 'urn:oid:1.2', code: 'abc' });
    assert.deepEqual(parseToken('|abc'), { system: undefined, code: 'abc' });
    assert.deepEqual(parseToken('abc'), { code: 'abc' });
    const codings = [{ system: 'http://loinc.org', code: '29463-7' }];
    assert.ok(matchesToken('8302-2,http://loinc.org|29463-7', codings));
    assert.ok(matchesToken('29463-7', codings));
    assert.ok(!matchesToken('http://snomed.info/sct|29463-7', codings));
    assert.ok(matchesToken('urn:ietf:rfc:3986|x', [{ system: 'urn:ietf:rfc:3986', value: 'x' }]), 'identifiers too');
  });

  it('reads dates at their precision, with every comparison prefix', () => {
    const march12 = Date.UTC(2024, 2, 12, 10);
    assert.ok(dateFilter('date', '2024')(march12));
    assert.ok(dateFilter('date', '2024-03')(march12));
    assert.ok(!dateFilter('date', '2024-04')(march12));
    assert.ok(dateFilter('date', 'ge2024-03-12')(march12));
    assert.ok(!dateFilter('date', 'gt2024-03-12')(march12), 'gt is after the whole day');
    assert.ok(dateFilter('date', 'lt2024-03-13')(march12));
    assert.ok(dateFilter('date', 'le2024-03-12')(march12));
    assert.ok(dateFilter('date', 'ne2024-03-11')(march12));
    const refused = refusal(() => dateFilter('period', 'gehier'));
    assert.equal(refused.status, 400);
    assert.deepEqual(refused.expression, ['period']);
  });

  it("reads _count with MES's own refusal above the maximum", () => {
    const limits = { byDefault: 20, max: 100 };
    assert.equal(parseCount(params(''), limits), 20);
    assert.equal(parseCount(params('_count=0'), limits), 0);
    assert.equal(
      refusal(() => parseCount(params('_count=101'), limits)).message,
      'Maximum page size allowed is 100. Actual : 101',
    );
    assert.equal(refusal(() => parseCount(params('_count=abc'), limits)).status, 400);
    assert.equal(parseOffset(params('_offset=40')), 40);
    assert.equal(refusal(() => parseOffset(params('_offset=-1'))).message, '_offset must be a non-negative integer.');
  });

  it('reads _sort on the fields a search allows, ascending or descending', () => {
    assert.deepEqual(parseSort(params(''), ['date'], '-date'), { field: 'date', direction: -1 });
    assert.deepEqual(parseSort(params('_sort=date'), ['date'], '-date'), { field: 'date', direction: 1 });
    assert.equal(
      refusal(() => parseSort(params('_sort=title'), ['date'], '-date')).message,
      '_sort must be date or -date.',
    );
    assert.equal(
      refusal(() => parseSort(params('_sort=code'), ['date', 'start'], 'date')).message,
      '_sort must be date, -date, start or -start.',
    );
  });

  it('refuses parameters a search does not know, naming the first', () => {
    const refused = refusal(() => rejectUnknownParameters(params('status=current&foo=1&bar=2'), new Set(['status'])));
    assert.equal(refused.message, 'Unknown search parameter(s): foo, bar.');
    assert.deepEqual(refused.expression, ['foo']);
  });

  it('reads the identifier condition of a conditional create or PATCH, system and value both required', () => {
    assert.deepEqual(identifierCondition('identifier=urn:oid:1.2|FE-ED', 'If-None-Exist'), {
      system: 'urn:oid:1.2',
      value: 'FE-ED',
    });
    for (const query of ['identifier=abc', 'identifier=|abc', 'identifier=urn:oid:1.2|', 'other=1']) {
      const refused = refusal(() => identifierCondition(query, 'If-None-Exist'));
      assert.equal(refused.status, 422, query);
      assert.equal(refused.message, 'If-None-Exist must be identifier=<system>|<value>.');
    }
  });
});
