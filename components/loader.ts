/**
 * leadwire.js — the classic script a GHL page pastes:
 *
 *   <script src="https://cdn.example/leadwire.js" data-gateway="https://gw.example"
 *           data-token-url="/leadwire-token"></script>
 *
 * It defines one global, `window.Leadwire`, queues calls made before the widgets are loaded,
 * and imports the widget modules (ES chunks beside this file) itself, so heavy libraries stay
 * lazy (boot.ts). The gateway's rollout loader (rollout-loader.ts) does the same with chunks of
 * the version the page's location gets.
 */
import { boot } from './boot.ts';

boot(async ({ base }) => new URL('./leadwire/embed.js', base).href);
