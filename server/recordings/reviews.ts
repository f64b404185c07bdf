import type { FieldIssue, PublicUser } from '../../signaling/shared/protocol';
import { badRequest, forbidden, notFound } from '../errors';
import { QA_ROLES } from './qa';
import type { RecordingsRepository } from './repository';

/**
 * What is wrong with a review's scores against the rubric: a criterion the rubric does not have,
 * or one it has that was not scored. Own keys only: rubric ids may be any `[a-z0-9_]+`, and
 * `'constructor' in scores` is true for every object.
 */
export function rubricErrors(
  rubric: ReadonlyArray<{ id: string }>,
  scores: Record<string, number>,
): FieldIssue[] {
  const known = new Set(rubric.map((c) => c.id));
  const unknown = Object.keys(scores).filter((k) => !known.has(k));
  const missing = [...known].filter((k) => !Object.hasOwn(scores, k));
  return [
    ...unknown.map((k) => ({ path: `scores.${k}`, message: 'not a rubric criterion' })),
    ...missing.map((k) => ({ path: `scores.${k}`, message: 'is required' })),
  ];
}

/** QA reviewers' work on a recording: scores against the rubric and comments at a moment. */
export class RecordingReviews {
  constructor(
    private readonly repo: RecordingsRepository,
    private readonly rubric: Array<{ id: string; label: string }>,
  ) {}

  async score(actor: PublicUser, recordingId: string, scores: Record<string, number>) {
    if (!QA_ROLES.includes(actor.role))
      throw forbidden('Only QA reviewers and supervisors score recordings.');
    if (!(await this.repo.findRecording(recordingId))) throw notFound('The recording');
    const errors = rubricErrors(this.rubric, scores);
    if (errors.length) throw badRequest('Score every criterion of the rubric, and only those.', errors);
    const total = Object.values(scores).reduce((a, b) => a + b, 0);
    await this.repo.upsertReview({ recordingId, reviewerId: actor.id, scores, total });
    return { scores, total, max: this.rubric.length * 5 };
  }

  async comment(actor: PublicUser, recordingId: string, atMs: number, body: string) {
    if (!QA_ROLES.includes(actor.role))
      throw forbidden('Only QA reviewers and supervisors comment on recordings.');
    if (!(await this.repo.findRecording(recordingId))) throw notFound('The recording');
    const c = await this.repo.insertComment({ recordingId, authorId: actor.id, atMs, body });
    return { id: c.id, atMs: c.atMs, body: c.body, author: actor.name, createdAt: c.createdAt.toISOString() };
  }
}
