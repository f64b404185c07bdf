import type { ErrorRequestHandler } from 'express';
import type { ErrorBody } from '../../signaling/shared/protocol';
import { AppError } from '../errors';
import type { Logger } from '../logger';

/**
 * The one place where errors become HTTP responses. A known AppError keeps its status and code;
 * what Express and body-parser refuse as the client's fault (bad JSON, a body that is not the
 * compression it claims, a malformed percent-escape in the path) becomes `bad_request` with its
 * 4xx status; anything else is a bug: logged with the request id and answered with a generic 500
 * that quotes that id, never with a stack trace.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const requestId = String(req.id ?? '');
    let status: number;
    let body: ErrorBody;
    if (err instanceof AppError) {
      status = err.status;
      body = { code: err.code, message: err.message };
      if (err.details) body.details = err.details;
      if (err.retryAfterSeconds !== undefined) {
        body.retryAfterSeconds = err.retryAfterSeconds;
        res.setHeader('Retry-After', String(err.retryAfterSeconds));
      }
    } else if (err?.type === 'entity.parse.failed') {
      status = 400;
      body = { code: 'bad_request', message: 'The request body is not valid JSON.' };
    } else if (err?.type === 'entity.too.large') {
      status = 413;
      body = { code: 'bad_request', message: 'The request body is too large.' };
    } else if (err?.type === 'encoding.unsupported' || err?.type === 'charset.unsupported') {
      status = 415;
      body = { code: 'bad_request', message: 'The request body encoding is not supported.' };
    } else if (isClientFault(err) && typeof err.code === 'string' && err.code.startsWith('Z_')) {
      // body-parser inflates gzip/deflate/br itself; zlib's error (Z_DATA_ERROR …) means the bytes
      // are not what Content-Encoding says. Only those three reach here (others are a 415 above).
      const encoding = String(req.headers['content-encoding']).toLowerCase();
      status = 400;
      body = {
        code: 'bad_request',
        message: `The request body is not valid ${encoding} data (Content-Encoding: ${encoding}).`,
      };
    } else if (isClientFault(err) && err instanceof URIError) {
      // The router decodes path parameters and marks a malformed escape (`/%`) as a 400.
      status = 400;
      body = {
        code: 'bad_request',
        message: 'The address is not valid: each % in it must start a two-digit hex escape.',
      };
    } else if (isClientFault(err) && err.expose === true) {
      // Any other refusal of body-parser (http-errors marks those as safe to show): an aborted
      // upload, a Content-Length that does not match the body, …
      status = err.status;
      body = { code: 'bad_request', message: 'The request body could not be read.' };
    } else {
      status = 500;
      body = {
        code: 'internal',
        message: 'Something went wrong on our side. Quote the request id if you contact support.',
        requestId,
      };
      logger.error({ err, requestId, method: req.method, url: req.originalUrl }, 'unhandled error');
    }
    if (res.headersSent) return;
    res.status(status).json({ error: body });
  };
}

/** Errors that Express's own parts raise with a 4xx status: the request was at fault, not us. */
function isClientFault(err: unknown): err is { status: number; code?: unknown; expose?: unknown } {
  const status = (err as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 500;
}
