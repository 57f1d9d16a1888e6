import type { components } from '../api/operator-schema.js';
import { unwrap } from '../../../sdk/js/src/problem-error.js';
import { useConnection } from '../api/connection.js';
import { when } from '../api/format.js';
import { useResource } from '../api/use-resource.js';
import { Loaded } from '../ui/status.js';
import { TenantVideos } from './tenant-videos.js';

type Moderation = components['schemas']['AdminModerationEventObject'];

/** Support: one tenant's videos and failures, and moderation events across tenants. */
export function Support() {
  const { operator } = useConnection();
  const events = useResource(async () => unwrap(await operator.GET('/v1/admin/moderation-events', { params: { query: { limit: 50 } } })), []);
  return (
    <>
      <h1 tabIndex={-1}>Support</h1>
      <TenantVideos />
      <section class="card" aria-labelledby="moderation-heading">
        <h2 id="moderation-heading">Moderation events</h2>
        <Loaded resource={events}>
          {(list) =>
            list.data.length === 0 ? (
              <p class="empty">No moderation events.</p>
            ) : (
              <div class="table-wrap">
                <table aria-label="Moderation events">
                  <thead>
                    <tr>
                      <th scope="col">When</th>
                      <th scope="col">Tenant</th>
                      <th scope="col">Category</th>
                      <th scope="col">Prompt</th>
                    </tr>
                  </thead>
                  <tbody>
                    {(list.data as Moderation[]).map((m) => (
                      <tr key={m.id} data-tenant-id={m.tenant_id}>
                        <td>{when(m.created_at)}</td>
                        <td>
                          <code>{m.tenant_id}</code>
                        </td>
                        <td>
                          {m.category} ({m.source})
                        </td>
                        <td>{m.prompt}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )
          }
        </Loaded>
      </section>
    </>
  );
}
