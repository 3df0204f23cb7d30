export { cookieValue } from './cookies.ts';
export {
  type App,
  createHttpServer,
  type DeclaredRoute,
  type HttpServerOptions,
  type ResolvedIdentity,
  SESSION_COOKIE,
} from './create-http-server.ts';
export { handleError, type ProblemDocument, sendProblem } from './problem.ts';
export { IdParams, Paging, ProblemSchema, problemResponses, Uuid } from './schemas.ts';
