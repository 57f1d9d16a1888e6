import type commander from 'commander';
import type { ApiClient } from './api-client.js';
import { print, type Io } from './output.js';

const rolloutRow = (r: Record<string, any>) => ({
  digest: r.digest,
  repo: r.repo,
  state: r.state,
  held: r.held,
  forced: r.forced,
  ready: r.ready_backends,
  phase: r.backend_phase ?? '',
  in_flight: r.in_flight,
  since: r.state_since,
});

/** `leoma rollouts …`: the king's model rollover (operator key; hold, release, force and rollback need the admin role). */
export function addRolloutCommands(program: commander.Command, client: () => ApiClient, io: Io): void {
  const rollouts = program.command('rollouts').description("the king's model rollover: list, what to deploy, hold, release, force, rollback");
  rollouts
    .command('list', { isDefault: true })
    .option('--json', 'print JSON')
    .action(async (o: Record<string, any>) => {
      const page = await client().call('GET', '/v1/admin/rollouts');
      print(io, o.json, page, () => page.data.map(rolloutRow));
    });
  rollouts
    .command('deployments')
    .description('what operators must deploy, keep and remove (the manual actuator)')
    .option('--json', 'print JSON')
    .action(async (o: Record<string, any>) => {
      const page = await client().call('GET', '/v1/admin/rollouts/deployments');
      print(io, o.json, page, () =>
        page.data.map((d: Record<string, any>) => ({
          action: d.action,
          digest: d.digest,
          repo: d.repo,
          replicas: d.replicas,
          ready: d.ready_backends,
          state: d.state,
        })),
      );
    });
  const commands: [string, string][] = [
    ['hold', 'keep the current model serving: the digest is not made the served model until released'],
    ['release', 'end a hold'],
    ['force', 'make the crowned digest the served model as soon as one backend is READY with it'],
    ['rollback', 'serve a kept earlier king again at once (the replaced digest is held)'],
  ];
  for (const [name, description] of commands) {
    rollouts
      .command(`${name} <digest>`)
      .description(description)
      .option('--json', 'print JSON')
      .action(async (digest: string, o: Record<string, any>) => {
        const r = await client().call('POST', `/v1/admin/rollouts/${encodeURIComponent(digest)}/${name}`);
        print(io, o.json, r, () => [rolloutRow(r)]);
      });
  }
}
