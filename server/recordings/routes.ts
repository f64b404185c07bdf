import type { Response } from 'express';
import { z } from 'zod';
import { PRIORITIES, type PublicUser, TIERS } from '../../signaling/shared/protocol';
import type { TokenService } from '../auth/tokens';
import { defineRoute } from '../http/route';
import { text } from '../validation';
import type { RecordingsService } from './service';

/** How long a track's streaming link works: long enough to watch a long call with pauses. */
const STREAM_LINK_TTL_SECONDS = 4 * 3600;

const trackParams = z.object({ id: z.uuid(), trackId: z.uuid() });
const trackResource = (trackId: string) => `recording-track:${trackId}`;

/** Sends a track file; `send` (via res.sendFile) answers Range requests with 206 and Content-Range. */
function sendTrackFile(res: Response, path: string): Promise<void> {
  res.setHeader('Cache-Control', 'private, no-store');
  return new Promise<void>((resolve, reject) =>
    res.sendFile(path, { headers: { 'Content-Type': 'video/webm' }, acceptRanges: true }, (err) =>
      err ? reject(err) : resolve(),
    ),
  );
}

const idParams = z.object({ id: z.uuid({ message: 'must be a recording id' }) });

export function recordingRoutes(
  recordings: RecordingsService,
  media: { tokens: TokenService; resolveUser: (id: string) => Promise<PublicUser> },
) {
  return [
    defineRoute({
      method: 'get',
      path: '/api/recordings',
      summary: 'Recordings with filters (QA reviewers, supervisors; agents see their own calls)',
      tag: 'recordings',
      access: ['agent', 'supervisor', 'qa', 'admin'],
      query: z
        .object({
          agentId: z.uuid().optional(),
          tier: z.enum(TIERS).optional(),
          priority: z.enum(PRIORITIES).optional(),
          from: z.coerce.date().optional(),
          to: z.coerce.date().optional(),
          minScore: z.coerce.number().min(0).max(1000).optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
        })
        .strict(),
      response: z.object({ items: z.array(z.record(z.string(), z.unknown())) }),
      handler: async ({ actor, query }) => ({ items: await recordings.list(actor!, query) }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/recordings/:id',
      summary: 'A recording: tracks with offsets, markers from the ticket, rubric, scores and comments',
      tag: 'recordings',
      access: 'signed-in',
      params: idParams,
      response: z.record(z.string(), z.unknown()),
      handler: ({ actor, params }) => recordings.get(actor!, params.id),
    }),
    defineRoute({
      method: 'get',
      path: '/api/recordings/:id/board',
      summary:
        "The call's whiteboard for replay beside the recording: the scene at the recording's start and each later update at its offset (ms), up to the recording's end",
      tag: 'recordings',
      access: 'signed-in',
      params: idParams,
      response: z.object({
        boardId: z.string().nullable(),
        background: z.string().nullable(),
        initial: z.array(z.record(z.string(), z.unknown())),
        updates: z.array(
          z.object({ atMs: z.number(), elements: z.array(z.record(z.string(), z.unknown())) }),
        ),
      }),
      handler: ({ actor, params }) => recordings.board(actor!, params.id),
    }),
    defineRoute({
      method: 'get',
      path: '/api/recordings/:id/tracks/:trackId/file',
      summary: 'Stream one track (WebM; HTTP range requests supported)',
      tag: 'recordings',
      access: 'signed-in',
      params: trackParams,
      response: z.any(),
      streams: true,
      handler: async ({ actor, params, res }) => {
        const { path } = await recordings.trackFile(actor!, params.id, params.trackId);
        await sendTrackFile(res, path);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/recordings/:id/tracks/:trackId/stream-url',
      summary:
        'A link that plays one track in a media element (the token in it opens only this track, for its user, for 4 hours)',
      tag: 'recordings',
      access: 'signed-in',
      params: trackParams,
      response: z.object({ url: z.string(), expiresAt: z.string() }),
      handler: async ({ actor, params }) => {
        // Only who may play the track gets a link to it.
        await recordings.trackFile(actor!, params.id, params.trackId);
        const { token, expiresAt } = media.tokens.issueMediaToken(
          { sub: actor!.id, resource: trackResource(params.trackId) },
          STREAM_LINK_TTL_SECONDS,
        );
        return {
          url: `/api/recordings/${params.id}/tracks/${params.trackId}/stream?access=${encodeURIComponent(token)}`,
          expiresAt,
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/recordings/:id/tracks/:trackId/stream',
      summary: 'Stream one track through a link from stream-url (range requests supported)',
      tag: 'recordings',
      // The token in the link authenticates; access is checked again for its user on every request.
      access: 'public',
      params: trackParams,
      query: z.object({ access: z.string().min(1).max(4096) }).strict(),
      response: z.any(),
      streams: true,
      handler: async ({ params, query, res }) => {
        const userId = media.tokens.verifyMediaToken(query.access, trackResource(params.trackId));
        const user = await media.resolveUser(userId);
        const { path } = await recordings.trackFile(user, params.id, params.trackId);
        await sendTrackFile(res, path);
      },
    }),
    defineRoute({
      method: 'put',
      path: '/api/recordings/:id/review',
      summary: 'Score a recording against the rubric (1–5 per criterion); one review per reviewer',
      tag: 'recordings',
      access: ['qa', 'supervisor', 'admin'],
      params: idParams,
      body: z.object({ scores: z.record(z.string(), z.number().int().min(1).max(5)) }).strict(),
      response: z.object({ scores: z.record(z.string(), z.number()), total: z.number(), max: z.number() }),
      handler: ({ actor, params, body }) => recordings.score(actor!, params.id, body.scores),
    }),
    defineRoute({
      method: 'post',
      path: '/api/recordings/:id/comments',
      summary: 'A timestamped comment on a recording',
      tag: 'recordings',
      access: ['qa', 'supervisor', 'admin'],
      params: idParams,
      body: z
        .object({ atMs: z.number().int().min(0).max(86_400_000), body: text().trim().min(1).max(5000) })
        .strict(),
      response: z.object({
        id: z.string(),
        atMs: z.number(),
        body: z.string(),
        author: z.string(),
        createdAt: z.string(),
      }),
      status: 201,
      handler: ({ actor, params, body }) => recordings.comment(actor!, params.id, body.atMs, body.body),
    }),
  ];
}
