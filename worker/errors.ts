import type { ContentfulStatusCode } from "hono/utils/http-status";

/**
 * The one error type routes throw. The app's error handler turns it into the SPEC's error shape,
 * `{ "error": { "code", "message" } }`, so no route formats errors by hand.
 */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function errorBody(code: string, message: string) {
  return { error: { code, message } };
}
