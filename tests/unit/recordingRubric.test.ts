import { describe, expect, it } from 'vitest';
import { rubricErrors } from '../../server/recordings/reviews';

describe('a review against the rubric', () => {
  const rubric = [{ id: 'greeting' }, { id: 'clarity' }];

  it('accepts exactly the rubric’s criteria', () => {
    expect(rubricErrors(rubric, { greeting: 4, clarity: 5 })).toEqual([]);
  });

  it('names each criterion that is missing and each one the rubric does not have', () => {
    expect(rubricErrors(rubric, { greeting: 4, tone: 3 })).toEqual([
      { path: 'scores.tone', message: 'not a rubric criterion' },
      { path: 'scores.clarity', message: 'is required' },
    ]);
  });

  // RECORDING_RUBRIC allows any [a-z0-9_]+ id; names every object inherits must still be scored.
  it('does not take an inherited property for a score', () => {
    expect(rubricErrors([{ id: 'constructor' }, { id: '__proto__' }], {})).toEqual([
      { path: 'scores.constructor', message: 'is required' },
      { path: 'scores.__proto__', message: 'is required' },
    ]);
  });
});
