/** Readers of the deployment examples (gateway/deploy): a systemd unit and a Dockerfile. */
import assert from 'node:assert/strict';

/** `[Section]` → key → values (a key may repeat), comments dropped. */
export function parseUnit(text: string): Map<string, Map<string, string[]>> {
  const sections = new Map<string, Map<string, string[]>>();
  let current: Map<string, string[]> | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const section = /^\[(.+)\]$/.exec(line);
    if (section) sections.set(section[1], (current = new Map()));
    else {
      const at = line.indexOf('=');
      assert.ok(current && at > 0, `not a unit-file line: ${line}`);
      const key = line.slice(0, at).trim();
      current.set(key, [...(current.get(key) ?? []), line.slice(at + 1).trim()]);
    }
  }
  return sections;
}

/** Dockerfile instructions in order, continuation lines joined, comments dropped. */
export function parseDockerfile(text: string): Array<{ instruction: string; args: string }> {
  const lines = text.replace(/\\\n/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  return lines.map((line) => {
    const [instruction, ...rest] = line.split(/\s+/);
    return { instruction: instruction.toUpperCase(), args: rest.join(' ') };
  });
}
