import type { ComponentChildren } from 'preact';
import { LeomaProblemError } from '../../../sdk/js/src/problem-error.js';
import type { Resource } from '../api/use-resource.js';

/** An API error as the API put it: its problem `detail`, `code` and request id, and each field problem. */
export function ErrorBox({ error }: { error: unknown }) {
  if (error === undefined || error === null) return null;
  if (error instanceof LeomaProblemError) {
    const fields = (error.problem as { errors?: { param?: string; detail?: string; message?: string; code?: string }[] }).errors ?? [];
    return (
      <div class="error" role="alert">
        <p>
          <strong>{error.problem.detail}</strong>
        </p>
        <p class="muted">
          code <code data-testid="problem-code">{error.code}</code> · HTTP {error.status}
          {error.requestId ? (
            <>
              {' '}
              · request <code>{error.requestId}</code>
            </>
          ) : null}
        </p>
        {fields.length > 0 ? (
          <ul>
            {fields.map((f) => (
              <li key={`${f.param}-${f.code}`}>
                <code>{f.param}</code>: {f.detail ?? f.message} ({f.code})
              </li>
            ))}
          </ul>
        ) : null}
      </div>
    );
  }
  return (
    <div class="error" role="alert">
      <p>
        <strong>{error instanceof Error ? error.message : String(error)}</strong>
      </p>
      {/* fetch throws a TypeError when the request never reached the API, and JSON a SyntaxError on an unreadable answer; other errors are the console's own message. */}
      {error instanceof TypeError || error instanceof SyntaxError ? (
        <p class="muted">The request did not reach the API or its answer could not be read.</p>
      ) : null}
    </div>
  );
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p class="loading" role="status">
      <span class="spinner" aria-hidden="true" />
      {label}
    </p>
  );
}

/** A resource's three states: loading (first load), error (with retry), or its content. */
export function Loaded<T>({ resource, children }: { resource: Resource<T>; children: (data: T) => ComponentChildren }) {
  if (resource.error !== undefined)
    return (
      <div>
        <ErrorBox error={resource.error} />
        <button type="button" onClick={resource.reload}>
          Try again
        </button>
      </div>
    );
  if (resource.data === undefined) return <Loading />;
  return <>{children(resource.data)}</>;
}

export function StatusBadge({ status }: { status: string }) {
  return <span class={`badge badge-${status}`}>{status}</span>;
}
