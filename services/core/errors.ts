/**
 * Errors the domain raises on purpose. Each has a stable code clients can switch on and the HTTP status
 * it maps to; the API's one error handler turns them into `{ error: { code, message } }`.
 */
export class RecircleError extends Error {
  constructor(
    readonly code: `RC_${string}`,
    readonly statusCode: number,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "RecircleError";
  }
}

export const badRequest = (code: `RC_${string}`, message: string, details?: Record<string, unknown>) =>
  new RecircleError(code, 400, message, details);
export const unauthorized = (message: string) => new RecircleError("RC_UNAUTHORIZED", 401, message);
export const forbidden = (code: `RC_${string}`, message: string) => new RecircleError(code, 403, message);
export const notFound = (code: `RC_${string}`, message: string) => new RecircleError(code, 404, message);
export const conflict = (code: `RC_${string}`, message: string) => new RecircleError(code, 409, message);
