#!/usr/bin/env node
/** `leadwire-gateway` (`npm run gateway` in the repository): one gateway, configured from the environment (docs/gateway.md). */
import { runGateway } from './process.ts';

await runGateway(process.env);
