// Browser tests: real headless Chromium from the system (/usr/bin/chromium), TypeScript via esbuild.
// The gateway plugin starts a real redis-server and gateway for the end-to-end tests.
import { chromeLauncher } from '@web/test-runner-chrome';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { register } from 'tsx/esm/api';
import { metricsEndpointMiddleware, metricsEndpointPlugin } from './scripts/wtr-metrics-endpoint.mjs';
import { reactPlugin } from './scripts/wtr-react-plugin.mjs';
import { pdfFontsMiddleware, pdfTextPlugin } from './scripts/wtr-pdf-text-plugin.mjs';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './scripts/chromium.mjs';

register();
const { gatewayPlugin } = await import('./scripts/wtr-gateway-plugin.ts');
const { healthGatewayPlugin } = await import('./scripts/wtr-health-gateway-plugin.ts');


/**
 * `executeServerCommand('emulate-forced-colors', { active })`: Windows High Contrast-style
 * forced colours through CDP (puppeteer's emulateMediaFeatures refuses `forced-colors`). The CDP
 * session is kept per page: emulation ends with the session that set it.
 */
function forcedColorsPlugin() {
  const sessions = new WeakMap();
  return {
    name: 'emulate-forced-colors',
    async executeCommand({ command, payload, session }) {
      if (command !== 'emulate-forced-colors') return undefined;
      const page = session.browser.getPage(session.id);
      if (!sessions.has(page)) sessions.set(page, await page.createCDPSession());
      await sessions.get(page).send('Emulation.setEmulatedMedia', {
        features: [{ name: 'forced-colors', value: payload?.active ? 'active' : 'none' }],
      });
      return true;
    },
  };
}

/** `executeServerCommand('emulate-timezone', { zone })`: the page's time zone (undefined: the machine's). */
function timezonePlugin() {
  return {
    name: 'emulate-timezone',
    async executeCommand({ command, payload, session }) {
      if (command !== 'emulate-timezone') return undefined;
      await session.browser.getPage(session.id).emulateTimezone(payload?.zone);
      return true;
    },
  };
}

/** The pages load the widgets package's build (components/dist) from /dist/, as a site serves it. */
const distAtRoot = (context, next) => {
  if (context.path.startsWith('/dist/')) context.path = `/components${context.path}`;
  return next();
};

export default {
  files: ['components/**/*.test.ts'],
  nodeResolve: true,
  concurrency: 1,
  testFramework: { config: { timeout: 20000 } },
  testsFinishTimeout: 300000,
  middleware: [distAtRoot, metricsEndpointMiddleware, pdfFontsMiddleware],
  plugins: [
    esbuildPlugin({ ts: true, target: 'es2022', tsconfig: 'tsconfig.json' }),
    gatewayPlugin(),
    forcedColorsPlugin(),
    metricsEndpointPlugin(),
    reactPlugin(),
    healthGatewayPlugin(),
    pdfTextPlugin(),
    timezonePlugin(),
  ],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: CHROMIUM_PATH,
        headless: true,
        args: CHROMIUM_ARGS,
      },
    }),
  ],
};
