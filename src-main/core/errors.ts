/**
 * One error model for the whole workbench. Errors cross process and IPC boundaries as
 * { code, message } (never stack traces); the UI and CLI map codes to what the user sees.
 */
export type ErrorCode =
  | 'BAD_INPUT' // a file or option the workbench cannot use
  | 'NOT_FOUND' // a file, folder, run or model that does not exist
  | 'BAD_REQUEST' // a payload that breaks the contract
  | 'CORRUPT' // a file written by the workbench that cannot be read back
  | 'CANCELLED'
  | 'TRAINING_FAILED' // NaN/exploding loss, crashed trainer
  | 'INTERNAL';

export class WorkbenchError extends Error {
  readonly code: ErrorCode;
  readonly file?: string;
  readonly line?: number;

  constructor(code: ErrorCode, message: string, where?: { file?: string; line?: number }) {
    super(where?.file ? `${where.file}${where.line !== undefined ? `:${where.line}` : ''}: ${message}` : message);
    this.name = 'WorkbenchError';
    this.code = code;
    this.file = where?.file;
    this.line = where?.line;
  }
}

export interface ErrorPayload {
  code: ErrorCode;
  message: string;
}

export function toErrorPayload(err: unknown): ErrorPayload {
  if (err instanceof WorkbenchError) return { code: err.code, message: err.message };
  if (err instanceof Error) return { code: 'INTERNAL', message: err.message };
  return { code: 'INTERNAL', message: String(err) };
}
