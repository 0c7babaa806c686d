/** The one error type: a stable English code for programs, a Chinese message for people. */
export class AppError extends Error {
  /** Sent as Retry-After (seconds) with the error: when the client may try again. */
  retryAfterS?: number;

  constructor(
    public status: number,
    public code: string,
    message: string,
    public details?: unknown,
    /** Extra fields of the error body a client can act on (e.g. the existing case of a duplicate). */
    public extra?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

/** A vendor failure worth retrying later (busy, timeout, network). */
export class TransientError extends Error {
  override name = 'TransientError';
}

export const notFound = (what = '记录') => new AppError(404, 'NOT_FOUND', `${what}不存在`);
