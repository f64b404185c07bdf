// Failures, as the reasons the call UI explains (types.ts `CallIssue`), and the error that ends
// work started for a connection attempt that has since been closed.

import { codeOf } from '../requests';
import type { MediaAccessError, MediaErrorReason } from './devices';
import type { CallIssue, CallIssueReason } from './types';

/** Thrown by work of a connection attempt that was closed meanwhile; never reported. */
export class StaleError extends Error {
  constructor() {
    super('superseded by a newer join or a teardown');
    this.name = 'StaleError';
  }
}

export function mediaIssue(err: MediaAccessError): CallIssue {
  const map: Record<MediaErrorReason, CallIssueReason> = {
    denied: 'permission_denied',
    busy: 'device_busy',
    no_device: 'no_device',
    insecure: 'insecure',
    cancelled: 'screen_failed',
    unknown: err.kind === 'screen' ? 'screen_failed' : 'device_busy',
  };
  return { reason: map[err.reason], device: err.kind, detail: err.message };
}

export function signalingIssue(err: unknown): CallIssue {
  const code = codeOf(err);
  const detail = err instanceof Error ? err.message : String(err);
  switch (code) {
    case 'network':
      return { reason: 'network', detail };
    case 'forbidden':
    case 'not_found':
    case 'unauthenticated':
      return { reason: 'not_allowed', detail };
    case 'conflict':
    case 'unavailable':
    case 'rate_limited':
      return { reason: 'unavailable', detail };
    case 'media_limit':
      return { reason: 'media_limit', detail };
    default:
      return { reason: 'unknown', detail };
  }
}

export function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
