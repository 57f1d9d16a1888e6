import type { components } from '../api/operator-schema.js';
import { unwrap } from '../../../sdk/js/src/problem-error.js';
import { useConnection } from '../api/connection.js';
import { useResource } from '../api/use-resource.js';
import { Loaded, StatusBadge } from '../ui/status.js';

type Backend = components['schemas']['BackendObject'];
type Rollout = components['schemas']['RolloutObject'];
type Operator = components['schemas']['OperatorObject'];

/** Admin: GPU backends and their health, model rollouts, operators. */
export function Admin() {
  const { operator } = useConnection();
  const backends = useResource(async () => unwrap(await operator.GET('/v1/admin/backends')), []);
  const rollouts = useResource(async () => unwrap(await operator.GET('/v1/admin/rollouts')), []);
  const operators = useResource(async () => unwrap(await operator.GET('/v1/admin/operators')), []);
  return (
    <>
      <h1 tabIndex={-1}>Admin</h1>
      <section class="card" aria-labelledby="backends-heading">
        <h2 id="backends-heading">Backends</h2>
        <Loaded resource={backends}>
          {(list) => (
            <ul class="plain">
              {(list.data as Backend[]).map((b) => (
                <li key={b.id}>
                  <code>{b.id}</code> <StatusBadge status={b.health} /> circuit {b.circuit} · {b.in_flight}/{b.max_concurrency} in flight ·{' '}
                  {b.model ?? 'any model'}
                </li>
              ))}
            </ul>
          )}
        </Loaded>
      </section>
      <section class="card" aria-labelledby="rollouts-heading">
        <h2 id="rollouts-heading">Model rollouts</h2>
        <Loaded resource={rollouts}>
          {(list) =>
            list.data.length === 0 ? (
              <p class="empty">No rollouts.</p>
            ) : (
              <ul class="plain">
                {(list.data as Rollout[]).map((r) => (
                  <li key={r.id}>
                    <code>{r.repo}</code>@<code class="digest">{r.digest}</code> <StatusBadge status={r.state} /> {r.held ? '(held)' : ''}
                  </li>
                ))}
              </ul>
            )
          }
        </Loaded>
      </section>
      <section class="card" aria-labelledby="operators-heading">
        <h2 id="operators-heading">Operators</h2>
        <Loaded resource={operators}>
          {(list) => (
            <ul class="plain">
              {(list.data as Operator[]).map((o) => (
                <li key={o.id}>
                  {o.name} <span class="muted">{o.email}</span> <span class="badge">{o.role}</span> {o.disabled_at ? <StatusBadge status="disabled" /> : null}
                </li>
              ))}
            </ul>
          )}
        </Loaded>
      </section>
    </>
  );
}
