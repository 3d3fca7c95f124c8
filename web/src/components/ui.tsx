// The panel's small building blocks: labelled fields, notices, chips, dialogs, and a hook that loads data.

import type { ComponentChildren, JSX } from 'preact';
import { useCallback, useEffect, useId, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import type { Status } from '../api/types';
import { t } from '../strings';

/** What an error says to the person at the screen. */
export function errorText(e: unknown): string {
  if (e instanceof ApiError) {
    if (e.status === 0) return t.common.networkError;
    if (e.status === 429) return t.common.tooMany(e.retryAfterSeconds);
    if (e.status === 500) return t.common.serverError;
    return e.message;
  }
  return t.common.serverError;
}

/** A label, the control, its help text and the error about it, tied together for screen readers. */
export function Field(props: {
  label: string;
  help?: string;
  error?: string | null;
  children: (id: string, describedBy: string | undefined) => JSX.Element;
}) {
  const id = useId();
  const helpId = props.help ? `${id}-help` : undefined;
  const errorId = props.error ? `${id}-error` : undefined;
  const describedBy = [helpId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div class={props.error ? 'field invalid' : 'field'}>
      <label for={id}>{props.label}</label>
      {props.children(id, describedBy)}
      {props.help && (
        <p class="help" id={helpId}>
          {props.help}
        </p>
      )}
      {props.error && (
        <p class="field-error" id={errorId} role="alert">
          {props.error}
        </p>
      )}
    </div>
  );
}

export function Notice(props: { kind?: 'info' | 'warn' | 'error' | 'ok'; children: ComponentChildren }) {
  const kind = props.kind ?? 'info';
  return (
    <div class={`notice notice-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {props.children}
    </div>
  );
}

export function ErrorNotice(props: { error: unknown }) {
  return props.error ? <Notice kind="error">{errorText(props.error)}</Notice> : null;
}

export function Chip(props: { status: Status | string; children?: ComponentChildren }) {
  return <span class={`chip chip-${props.status}`}>{props.children ?? t.status[props.status as Status] ?? props.status}</span>;
}

/** A modal dialog on the native <dialog>: focus stays inside, Escape closes it, focus returns after. */
export function Dialog(props: {
  title: string;
  open: boolean;
  onClose: () => void;
  children: ComponentChildren;
  side?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (props.open && !d.open) d.showModal();
    if (!props.open && d.open) d.close();
  }, [props.open]);
  return (
    <dialog
      ref={ref}
      class={props.side ? 'dialog drawer' : 'dialog'}
      aria-labelledby={titleId}
      onClose={props.onClose}
      onCancel={props.onClose}
    >
      {props.open && (
        <div class="dialog-body">
          <header class="dialog-head">
            <h2 id={titleId}>{props.title}</h2>
            <button type="button" class="icon" aria-label={t.common.close} onClick={props.onClose}>
              ×
            </button>
          </header>
          {props.children}
        </div>
      )}
    </dialog>
  );
}

export interface Loaded<T> {
  data: T | null;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

/** Loads with fn whenever deps change; a late answer for old deps is dropped. */
export function useLoad<T>(fn: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  useEffect(() => {
    let live = true;
    setLoading(true);
    fn().then(
      (d) => {
        if (!live) return;
        setData(d);
        setError(null);
        setLoading(false);
      },
      (e: unknown) => {
        if (!live) return;
        setError(e);
        setLoading(false);
      },
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  return { data, error, loading, reload };
}

/** The loading line or the error of a Loaded, else its children. */
export function Loading<T>(props: { of: Loaded<T>; children: (data: T) => ComponentChildren }) {
  if (props.of.error && !props.of.data) return <ErrorNotice error={props.of.error} />;
  if (!props.of.data) return <p class="muted">{t.common.loading}</p>;
  return <>{props.children(props.of.data)}</>;
}

/** A button for a write: disabled while it runs, the error shown after it. */
export function useAction(): [boolean, unknown, (fn: () => Promise<void>) => Promise<boolean>, () => void] {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = useCallback(async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      return true;
    } catch (e) {
      setError(e);
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  return [busy, error, run, () => setError(null)];
}

/** The error of a form's last write that names this field. */
export function fieldError(error: unknown, field: string): string | null {
  return error instanceof ApiError && error.field === field ? error.detail : null;
}

/** The error of a form's last write that names no field of the form. */
export function formError(error: unknown, fields: string[]): unknown {
  return error instanceof ApiError && error.field && fields.includes(error.field) ? null : error;
}
