/** One gateway client per (gateway URL, group) per page, shared by every widget of the group. */
import { GatewayClient, type ClientOptions } from './client.ts';

const shared = new Map<string, GatewayClient>();
const sharedKey = (url: string, group: string) => JSON.stringify([url, group]);

/**
 * The page's client for this gateway and group, created on first use. A later call with other
 * credentials hands them to the same client (its cursor carries over).
 */
export function sharedClient(options: ClientOptions, group = 'default'): GatewayClient {
  const key = sharedKey(options.url, group);
  let client = shared.get(key);
  if (!client) shared.set(key, (client = new GatewayClient(options)));
  else client.setCredentials(options);
  return client;
}

/** Forgets a shared client its group no longer uses; it closes once its last listener leaves. */
export function releaseClient(client: GatewayClient, group = 'default'): void {
  const key = sharedKey(client.url, group);
  if (shared.get(key) === client) shared.delete(key);
  client.retire();
}
