/**
 * One error vocabulary for the whole application. Services throw these; the HTTP error handler
 * turns them into responses. `code` is stable and listed in the catalogue (error-codes.ts), which holds
 * its status and its Chinese and English messages (the console translates from it);
 * `message` is English text a person can act on; `params` carries the values the message names.
 */
import type { ErrorCode } from './error-codes.js';

export type { ErrorCode } from './error-codes.js';

export type ErrorParams = Record<string, string | number | boolean | null>;

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly params: ErrorParams = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad input: the request names something impossible. `field` says which field, when there is one. */
export class Invalid extends AppError {
  constructor(code: ErrorCode, message: string, params: ErrorParams = {}) {
    super(400, code, message, params);
  }
}

export class Unauthorized extends AppError {
  constructor(code: ErrorCode = 'not_signed_in', message = 'Sign in first.', params: ErrorParams = {}) {
    super(401, code, message, params);
  }
}

export class Forbidden extends AppError {
  constructor(
    code: ErrorCode = 'forbidden',
    message = 'Your account may not do this.',
    params: ErrorParams = {},
  ) {
    super(403, code, message, params);
  }
}

export class NotFound extends AppError {
  constructor(entity: string, id: string) {
    super(404, 'not_found', `No ${entity} with id ${id}.`, { entity, id });
  }
}

export class Conflict extends AppError {
  constructor(code: ErrorCode, message: string, params: ErrorParams = {}) {
    super(409, code, message, params);
  }
}

export class TooManyRequests extends AppError {
  constructor(code: ErrorCode, message: string, params: ErrorParams = {}) {
    super(429, code, message, params);
  }
}
