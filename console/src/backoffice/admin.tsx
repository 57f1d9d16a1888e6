import type { components } from '../api/operator-schema.js';
import { unwrap } from '../../../sdk/js/src/problem-error.js';
import { useConnection } from '../api/connection.js';
import { useResource } from '../api/use-resource.js';
import { Loaded, StatusBadge } from '../ui/status.js';

type Backend = components['schemas']['BackendObject'];
type Rollout = components['schemas']['RolloutObject'];
type Operator = components['schemas']['OperatorObject'];
type Model = components['schemas']['ModelObject'];

/** Admin: the ranked models (rank 1 makes new videos), GPU backends and their health, model rollouts, operators. */
export function Admin() {
  const { operator } = useConnection();
  const backends = useResource(async () => unwrap(await operator.GET('/v1/admin/backends')), []);
  const rollouts = useResource(async () => unwrap(await operator.GET('/v1/admin/rollouts')), []);
  const operators = useResource(async () => unwrap(await operator.GET('/v1/admin/operators')), []);
  const models = useResource(async () => unwrap(await operator.GET('/v1/models')), []);
  return (
    <>
      <h1 tabIndex={-1}>Admin</h1>
      <section class="card" aria-labelledby="models-heading">
        <h2 id="models-heading">Models</h2>
        <Loaded resource={models}>
          {(list) => (
            <div class="table-wrap">
              <table aria-label="Ranked models">
                <thead>
                  <tr>
                    <th scope="col">Rank</th>
                    <th scope="col">Model</th>
                    <th scope="col">Miner</th>
                    <th scope="col">Capabilities</th>
                  </tr>
                </thead>
                <tbody>
                  {(list.data as Model[]).map((m) => (
                    <tr key={`${m.rank}-${m.model}`} data-rank={m.rank}>
                      <td>{m.rank === 1 ? '1 (serving)' : m.rank}</td>
                      <td>
                        <code>{m.model}</code>
                        {m.model_revision ? (
                          <>
                            @<code class="digest">{m.model_revision}</code>
                          </>
                        ) : null}
                      </td>
                      <td>{m.miner_uid !== null ? `uid ${m.miner_uid}` : 'from configuration'}</td>
                      <td class="muted">{m.capabilities.source === 'override' ? 'operator override' : 'defaults'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Loaded>
      </section>
      <section class="card" aria-labelledby="backends-heading">
        <h2 id="backends-heading">Backends</h2>
        <Loaded resource={backends}>
          {(list) => (
            <ul class="plain" aria-label="Backends">
              {(list.data as Backend[]).map((b) => (
                <li key={b.id} data-backend-id={b.id}>
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
              <ul class="plain" aria-label="Rollouts">
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
            <ul class="plain" aria-label="Operators">
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
