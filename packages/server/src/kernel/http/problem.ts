import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DatapolisError, type FieldError, problemType, TooManyRequestsError } from '../errors.ts';

export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance: string;
  requestId: string;
  errors?: FieldError[];
  [key: string]: unknown;
}

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthenticated',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  406: 'Not acceptable',
  409: 'Conflict',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  429: 'Too many requests',
  500: 'Internal server error',
  503: 'Service unavailable',
};

export function sendProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  code: string,
  detail: string,
  extra: { errors?: FieldError[] | undefined; details?: Record<string, unknown> | undefined } = {},
): FastifyReply {
  const body: ProblemDocument = {
    type: problemType(code),
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    code,
    instance: request.url,
    requestId: String(request.id),
    ...(extra.details ?? {}),
  };
  if (extra.errors !== undefined && extra.errors.length > 0) body.errors = extra.errors;
  return reply.status(status).type('application/problem+json').send(body);
}

/** Fastify's own error codes mapped to our stable codes. */
const FASTIFY_CODES: Record<string, { status: number; code: string; detail: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: {
    status: 400,
    code: 'MALFORMED_JSON',
    detail: 'The request body is not valid JSON.',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    status: 400,
    code: 'MALFORMED_JSON',
    detail: 'The request body is empty but says it is JSON.',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: {
    status: 413,
    code: 'BODY_TOO_LARGE',
    detail: 'The request body is larger than this server accepts.',
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    detail: 'Send the request body as application/json.',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    status: 400,
    code: 'BAD_CONTENT_LENGTH',
    detail: 'The Content-Length header does not match the body.',
  },
};

function validationErrors(error: FastifyError): FieldError[] {
  return (error.validation ?? []).map((item) => {
    const base = item.instancePath.replace(/^\//, '').replaceAll('/', '.');
    const params = item.params as Record<string, unknown>;
    if (item.keyword === 'additionalProperties') {
      const extra = String(params.additionalProperty);
      return { path: base ? `${base}.${extra}` : extra, message: 'is not a known field' };
    }
    if (item.keyword === 'required') {
      const missing = String(params.missingProperty);
      return { path: base ? `${base}.${missing}` : missing, message: 'is required' };
    }
    return { path: base || (error.validationContext ?? ''), message: item.message ?? 'is invalid' };
  });
}

export function handleError(
  error: FastifyError | Error,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  if (error instanceof DatapolisError) {
    if (error instanceof TooManyRequestsError) reply.header('retry-after', String(error.retryAfterSeconds));
    if (error.status >= 500) request.log.error({ err: error }, error.message);
    return sendProblem(request, reply, error.status, error.code, error.message, {
      errors: error.errors,
      details: error.details,
    });
  }
  const fastifyError = error as FastifyError;
  if (fastifyError.validation !== undefined) {
    const where = fastifyError.validationContext ?? 'request';
    return sendProblem(
      request,
      reply,
      400,
      'VALIDATION_FAILED',
      `The ${where} does not match what this endpoint accepts.`,
      {
        errors: validationErrors(fastifyError),
      },
    );
  }
  const known = fastifyError.code === undefined ? undefined : FASTIFY_CODES[fastifyError.code];
  if (known !== undefined) return sendProblem(request, reply, known.status, known.code, known.detail);
  if (fastifyError.statusCode === 429) {
    return sendProblem(
      request,
      reply,
      429,
      'RATE_LIMITED',
      'Too many requests: slow down and try again shortly.',
    );
  }
  if (
    fastifyError.statusCode !== undefined &&
    fastifyError.statusCode >= 400 &&
    fastifyError.statusCode < 500
  ) {
    return sendProblem(request, reply, fastifyError.statusCode, 'BAD_REQUEST', fastifyError.message);
  }
  request.log.error({ err: error }, 'unhandled error');
  return sendProblem(
    request,
    reply,
    500,
    'INTERNAL',
    `Something went wrong on our side. Quote request id ${String(request.id)} when you report it.`,
  );
}
