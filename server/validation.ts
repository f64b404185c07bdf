import { z } from 'zod';
import type { FieldIssue } from '../signaling/protocol';

// Clearer wording than zod's defaults for the two messages users see most. Installed once, at
// import, for every schema in the process.
z.config({
  customError: (issue) => {
    if (issue.code === 'invalid_type' && issue.input === undefined) return 'is required';
    if (issue.code === 'unrecognized_keys') return `unknown field(s): ${issue.keys.join(', ')}`;
    return undefined;
  },
});

/** zod issues → the field-level details that REST errors and socket acks both carry. */
export function issuesToFields(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(root)',
    message: issue.message,
  }));
}
