import { z } from 'zod';
import type { FieldIssue } from '../signaling/shared/protocol';

// Clearer wording than zod's defaults for the two messages users see most. Installed once, at
// import, for every schema in the process.
z.config({
  customError: (issue) => {
    if (issue.code === 'invalid_type' && issue.input === undefined) return 'is required';
    if (issue.code === 'unrecognized_keys') return `unknown field(s): ${issue.keys.join(', ')}`;
    return undefined;
  },
});

export const NUL_MESSAGE = 'must not contain NUL characters';

/**
 * A string a client sends that may be stored. Use it for every free-text field instead of
 * `z.string()`: PostgreSQL (and PGlite) refuse U+0000 in `text` and `jsonb`, so without this check
 * a NUL byte passes validation and fails at the INSERT as a 500. Checked before any `.trim()`.
 */
export const text = () => z.string().refine((value) => !value.includes('\u0000'), NUL_MESSAGE);

/**
 * Whether a free-form JSON value (one stored as `jsonb` without a schema for every field, such as
 * a whiteboard element) holds U+0000 in any string or key: `text()` for what has no fixed shape.
 */
export function containsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some(containsNul);
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).some(([key, item]) => key.includes('\u0000') || containsNul(item));
  }
  return false;
}

/** zod issues → the field-level details that REST errors and socket acks both carry. */
export function issuesToFields(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(root)',
    message: issue.message,
    ...ruleOf(issue),
  }));
}

/** The kind of rule a zod issue broke, and its bound, so a client can word it in its language. */
function ruleOf(issue: z.core.$ZodIssue): Pick<FieldIssue, 'rule' | 'limit'> {
  switch (issue.code) {
    case 'invalid_type':
      return { rule: issue.input === undefined ? 'required' : 'invalid_type' };
    case 'too_small':
    case 'too_big': {
      const small = issue.code === 'too_small';
      const bound = Number(small ? issue.minimum : issue.maximum);
      const rule =
        issue.origin === 'string'
          ? small
            ? 'too_short'
            : 'too_long'
          : issue.origin === 'array' || issue.origin === 'set'
            ? small
              ? 'too_few'
              : 'too_many'
            : small
              ? 'too_small'
              : 'too_big';
      return Number.isFinite(bound) ? { rule, limit: bound } : { rule };
    }
    case 'invalid_format':
      return { rule: 'invalid_format' };
    case 'invalid_value':
    case 'invalid_union':
      return { rule: 'invalid_value' };
    case 'unrecognized_keys':
      return { rule: 'unknown_field' };
    default:
      // A domain rule (a refinement): said only by its message; no rule is `custom`.
      return {};
  }
}
