import type { ErrorRequestHandler } from 'express';
import type { ErrorBody } from '../../signaling/protocol';
import { AppError } from '../errors';
import type { Logger } from '../logger';

/**
 * The one place where errors become HTTP responses. A known AppError keeps its status and code;
 * body-parser's own errors become `bad_request`; anything else is a bug: logged with the request
 * id and answered with a generic 500 that quotes that id, never with a stack trace.
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
