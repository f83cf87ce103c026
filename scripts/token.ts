#!/usr/bin/env node
/**
 * `npm run token -- --tenant loc_1 [--tenant loc_2] [--scope events:read] [--ttl 3600] [--sub name] [--origin https://…]`
 * Mints an HS256 browser token with AUTH_SECRET from the environment and prints it (only the
 * token goes to stdout, so `TOKEN=$(npm run -s token -- …)` works). AUTH_AUDIENCE and
 * AUTH_ISSUER are added when set, so the token passes the gateway configured the same way.
 */
import { parseArgs } from 'node:util';
import { SCOPES, mintToken, type Scope } from '../gateway/src/auth.ts';
import { tenantSchema } from '../protocol/schemas.ts';

const USAGE = `usage: npm run token -- --tenant <id> [--tenant <id> …] [--scope <scope> …] [--ttl <seconds>] [--sub <subject>] [--origin <origin> …]
  --tenant   GHL location id the token may read (repeat for several; required)
  --scope    ${SCOPES.join(', ')} (repeat; default events:read)
  --ttl      lifetime in seconds (default 3600)
  --sub      subject, e.g. the user's id (default "operator")
  --origin   page origin the token may be used from (repeat; default any allowed by the gateway)
env: AUTH_SECRET (required, ≥ 32 characters), AUTH_AUDIENCE, AUTH_ISSUER (optional)`;

function fail(message: string): never {
  console.error(`token: ${message}\n\n${USAGE}`);
  process.exit(2);
}

async function main(argv: string[]): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        tenant: { type: 'string', multiple: true },
        scope: { type: 'string', multiple: true },
        ttl: { type: 'string' },
        sub: { type: 'string' },
        origin: { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    fail((error as Error).message);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const secret = process.env.AUTH_SECRET;
  if (!secret) fail('AUTH_SECRET is not set: export the same secret the gateway uses');
  if (secret.length < 32) fail('AUTH_SECRET must be at least 32 characters (as the gateway requires)');
  const tenants = values.tenant ?? [];
  if (tenants.length === 0) fail('name at least one --tenant');
  for (const tenant of tenants) {
    if (tenant === '*' || !tenantSchema.safeParse(tenant).success) fail(`--tenant ${JSON.stringify(tenant)} is not a location id`);
  }
  const scopes = values.scope ?? ['events:read'];
  for (const scope of scopes) {
    if (!(SCOPES as readonly string[]).includes(scope)) fail(`--scope ${JSON.stringify(scope)} is not one of ${SCOPES.join(', ')}`);
  }
  const ttl = values.ttl === undefined ? 3600 : Number(values.ttl);
  if (!Number.isInteger(ttl) || ttl <= 0) fail(`--ttl ${JSON.stringify(values.ttl)} is not a positive whole number of seconds`);
  const token = await mintToken(
    {
      sub: values.sub ?? 'operator',
      tenants,
      scopes: scopes as Scope[],
      ...(values.origin ? { origins: values.origin } : {}),
      ...(process.env.AUTH_AUDIENCE ? { aud: process.env.AUTH_AUDIENCE } : {}),
      ...(process.env.AUTH_ISSUER ? { iss: process.env.AUTH_ISSUER } : {}),
    },
    secret,
    ttl,
  );
  console.log(token);
}

await main(process.argv.slice(2));
