// The SLA rules' one error type, shared by the evaluation and the business-hours calendar.

/** Thrown for facts or policies that cannot be evaluated; always a caller bug, never a customer error. */
export class SlaInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SlaInputError';
  }
}
