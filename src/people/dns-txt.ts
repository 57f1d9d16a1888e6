import { Resolver } from 'node:dns/promises';
import { peopleEnv } from './people.env.js';

/** The TXT records at a name, each one's strings joined, through DNS_SERVERS when set (the system's resolvers otherwise). */
export async function txtRecords(name: string): Promise<string[]> {
  const env = peopleEnv.get();
  const resolver = new Resolver({ timeout: env.DNS_TIMEOUT_MS, tries: 2 });
  if (env.DNS_SERVERS.length) resolver.setServers(env.DNS_SERVERS);
  try {
    return (await resolver.resolveTxt(name)).map((chunks) => chunks.join(''));
  } catch (e) {
    // No such name or no TXT there: nothing proves anything, which is an answer, not a failure.
    if (['ENOTFOUND', 'ENODATA'].includes((e as { code?: string }).code ?? '')) return [];
    throw e;
  }
}
