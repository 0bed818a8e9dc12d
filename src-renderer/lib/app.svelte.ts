/**
 * App-wide state: the active view, what `app.info` said (backend, defaults, notices), the
 * global error banner, the status line for long work, and which runs Compare shows.
 */
import type { AppInfo, Api } from '../../src-preload/contract';
import { api } from './api';
import { toUserError, type UserError } from './errors';

export type ViewId = 'dataset' | 'train' | 'compare' | 'predict' | 'runs';

export const VIEWS: readonly { id: ViewId; label: string; key: string }[] = [
  { id: 'dataset', label: 'Dataset', key: '1' },
  { id: 'train', label: 'Train', key: '2' },
  { id: 'compare', label: 'Compare', key: '3' },
  { id: 'predict', label: 'Predict', key: '4' },
  { id: 'runs', label: 'Runs', key: '5' },
];

export type Backend = NonNullable<AppInfo['backend']>;

class AppState {
  view = $state<ViewId>('dataset');
  info = $state<AppInfo | null>(null);
  /** app.info failed: the shell shows a startup screen instead of the views */
  startupError = $state<UserError | null>(null);
  error = $state<UserError | null>(null);
  notices = $state<string[]>([]);
  /** the trainer reports its backend once a job starts; app.info may not know it yet */
  backend = $state<Backend | null>(null);
  /** long work in progress, shown in the status line; keyed so parallel work does not clash */
  work = $state<Record<string, string>>({});
  /** runs shown by Compare: A (required) and optionally B */
  compareA = $state<string | null>(null);
  compareB = $state<string | null>(null);

  get statusLine(): string {
    const items = Object.values(this.work);
    return items.length === 0 ? 'Ready' : items.join(' · ');
  }

  get busy(): boolean {
    return Object.keys(this.work).length > 0;
  }

  async load(client: Api = api()): Promise<void> {
    try {
      const info = await client.app.info();
      this.info = info;
      this.notices = [...info.notices];
      this.backend = info.backend;
      this.startupError = null;
    } catch (err) {
      this.startupError = toUserError(err);
    }
  }

  go(view: ViewId): void {
    this.view = view;
  }

  openInCompare(a: string, b: string | null = null): void {
    this.compareA = a;
    this.compareB = b;
    this.view = 'compare';
  }

  showError(err: unknown): UserError {
    const u = toUserError(err);
    this.error = u;
    return u;
  }

  clearError(): void {
    this.error = null;
  }

  dismissNotice(index: number): void {
    this.notices = this.notices.filter((_, i) => i !== index);
  }

  setWork(key: string, text: string | null): void {
    if (text === null) {
      const { [key]: _drop, ...rest } = this.work;
      this.work = rest;
    } else {
      this.work = { ...this.work, [key]: text };
    }
  }
}

export const app = new AppState();
