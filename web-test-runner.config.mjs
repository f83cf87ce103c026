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
const { gatewayPlugin, tokenRefusalMiddleware } = await import('./scripts/wtr-gateway-plugin.ts');
const { healthGatewayPlugin } = await import('./scripts/wtr-health-gateway-plugin.ts');


/**
 * `executeServerCommand('emulate-forced-colors', { active, scheme? })`: Windows High Contrast-style
 * forced colours through CDP (puppeteer's emulateMediaFeatures refuses `forced-colors`), with the
 * light or dark system palette (`scheme`: prefers-color-scheme, default as the system has it). The
 * CDP session is kept per page: emulation ends with the session that set it.
 */
function forcedColorsPlugin() {
  const sessions = new WeakMap();
  return {
    name: 'emulate-forced-colors',
    async executeCommand({ command, payload, session }) {
      if (command !== 'emulate-forced-colors') return undefined;
      const page = session.browser.getPage(session.id);
      if (!sessions.has(page)) sessions.set(page, await page.createCDPSession());
      // One call sets every emulated feature (a feature left out is no longer emulated).
      const features = [{ name: 'forced-colors', value: payload?.active ? 'active' : 'none' }];
      if (payload?.active && payload.scheme) features.push({ name: 'prefers-color-scheme', value: payload.scheme });
      await sessions.get(page).send('Emulation.setEmulatedMedia', { features });
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

/**
 * `executeServerCommand('screenshot', { x, y, width, height })`: a PNG (base64) of that part of
 * the test page (page coordinates: scroll included) as Chromium painted it, for tests that must judge pixels (forced colours paint
 * over computed styles, so only the pixels tell whether text can be read).
 */
function screenshotPlugin() {
  return {
    name: 'screenshot',
    async executeCommand({ command, payload, session }) {
      if (command !== 'screenshot') return undefined;
      const page = session.browser.getPage(session.id);
      const { x, y, width, height } = payload;
      return page.screenshot({ encoding: 'base64', clip: { x, y, width, height }, captureBeyondViewport: false });
    },
  };
}

/** The pages load the widgets package's build (components/dist) from /dist/, as a site serves it. */
const distAtRoot = (context, next) => {
  if (context.path.startsWith('/dist/')) context.path = `/components${context.path}`;
  return next();
};

export default {
  files: ['components/**/*.test.ts', 'stories/**/*.test.ts'],
  nodeResolve: true,
  concurrency: 1,
  testFramework: { config: { timeout: 20000 } },
  testsFinishTimeout: 300000,
  middleware: [distAtRoot, metricsEndpointMiddleware, pdfFontsMiddleware, tokenRefusalMiddleware],
  plugins: [
    esbuildPlugin({ ts: true, target: 'es2022', tsconfig: 'tsconfig.json' }),
    gatewayPlugin(),
    forcedColorsPlugin(),
    screenshotPlugin(),
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
