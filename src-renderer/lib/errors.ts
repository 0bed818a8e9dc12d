/**
 * The single table from an error code to what the user reads: a title, the message from the
 * main side, and a hint on what to do. Errors cross the boundary as codes, never stack traces.
 */
import { errorOf, type ErrorPayload } from '../../src-preload/contract';

export type ErrorCode = ErrorPayload['code'];

export interface UserError {
  code: ErrorCode;
  title: string;
  message: string;
  hint: string;
}

const TABLE: Record<ErrorCode, { title: string; hint: string }> = {
  BAD_INPUT: { title: 'The input could not be used', hint: 'Check the file, line or value named in the message.' },
  NOT_FOUND: { title: 'Not found', hint: 'It may have been deleted or moved; refresh and try again.' },
  BAD_REQUEST: {
    title: 'The request was refused',
    hint: 'A value is out of range, or a folder lies outside the allowed folders.',
  },
  CORRUPT: { title: 'A saved file is damaged', hint: 'Delete the affected run or dataset and create it again.' },
  CANCELLED: { title: 'Cancelled', hint: 'Nothing was kept from the cancelled work.' },
  TRAINING_FAILED: {
    title: 'Training failed',
    hint: 'Try a lower learning rate, a smaller batch or fewer epochs; the message says what broke.',
  },
  INTERNAL: { title: 'Something went wrong', hint: 'Try again; if it repeats, restart the workbench.' },
};

export function toUserError(err: unknown): UserError {
  const { code, message } = errorOf(err);
  const entry = TABLE[code];
  return { code, title: entry.title, message, hint: entry.hint };
}

/** One line for the status bar: "Training failed: loss became NaN at epoch 3". */
export function errorLine(err: unknown): string {
  const u = toUserError(err);
  return `${u.title}: ${u.message}`;
}
