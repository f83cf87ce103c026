/** `npm run gateway`: one gateway, configured from the environment (docs/gateway.md). */
import { runGateway } from './process.ts';

await runGateway(process.env);
