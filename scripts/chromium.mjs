// The one way Leadwire starts Chromium (browser tests, the story test, the browser benchmark):
// the system's /usr/bin/chromium, headless, never a downloaded browser. The flags keep it off
// the network it does not need (this machine's is closed) and fit a container (no sandbox, no GPU,
// no /dev/shm).
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
