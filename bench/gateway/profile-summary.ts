/**
 * `node --import tsx bench/gateway/profile-summary.ts <file.cpuprofile> [top]` — self time by
 * function and by file of a `--cpu-prof` profile (what `npm run bench:gateway -- --cpu-prof`
 * writes), to find where the server's CPU goes without opening DevTools.
 */
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

const [file, topArg] = process.argv.slice(2);
if (!file) throw new Error('usage: profile-summary.ts <file.cpuprofile> [top]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfByFunction = new Map<string, number>();
const selfByFile = new Map<string, number>();
let total = 0;
profile.samples.forEach((id, i) => {
  const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
  const us = profile.timeDeltas[i] ?? 0;
  total += us;
  const where = url.replace(/^file:\/\/.*?\/(node_modules|gateway|protocol)\//, '$1/');
  const fn = `${functionName || '(anonymous)'} ${where}:${lineNumber + 1}`;
  selfByFunction.set(fn, (selfByFunction.get(fn) ?? 0) + us);
  const module = where.startsWith('node_modules/') ? where.split('/').slice(0, where.includes('/@') ? 3 : 2).join('/') : where || functionName;
  selfByFile.set(module, (selfByFile.get(module) ?? 0) + us);
});

const top = Number(topArg ?? 25);
const print = (title: string, map: Map<string, number>) => {
  console.log(`\n${title}`);
  for (const [name, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${((us / total) * 100).toFixed(1).padStart(5)} %  ${(us / 1000).toFixed(0).padStart(6)} ms  ${name}`);
  }
};
console.log(`${file}: ${(total / 1e6).toFixed(2)} s sampled`);
print('self time by file/module', selfByFile);
print('self time by function', selfByFunction);
