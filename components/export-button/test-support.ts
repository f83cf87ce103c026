/** Test helpers: events, and readers that parse exports back (CSV, PDF text). */
import { DEFAULT_PRIORITY, type StreamEvent } from '../../protocol/index.ts';
import { createTraffic } from '../../demo/traffic.ts';

let seq = 0;

/** A delivered lead event with the given payload fields. */
export function leadEvent(data: Record<string, unknown>, ts = Date.UTC(2026, 10, 22, 14, 5, 3, 250)): StreamEvent {
  seq++;
  return {
    id: `evt-${seq}`,
    type: 'lead.message_received',
    tenant: 'loc_Test01',
    ts,
    priority: 'normal',
    cursor: `${ts}-${seq}`,
    data: { leadId: `L${seq}`, channel: 'sms', text: '', ...data },
  } as StreamEvent;
}

/** n realistic events of every type from the demo traffic generator (seeded). */
export function trafficEvents(n: number, seed = 7): StreamEvent[] {
  const traffic = createTraffic({ seed, now: () => Date.UTC(2026, 10, 22, 12) });
  return traffic.burst(n).map((envelope, i) => ({
    ...envelope,
    priority: envelope.priority ?? DEFAULT_PRIORITY[envelope.type],
    cursor: `${envelope.ts}-${i}`,
  })) as StreamEvent[];
}

/** An RFC 4180 reader: quoted fields, doubled quotes, CR/LF inside quotes, CRLF records. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') {
      if (field !== '') throw new Error(`stray quote in an unquoted field at ${i}`);
      quoted = true;
    } else if (ch === ',') {
      row.push(field), (field = '');
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field), rows.push(row), (row = []), (field = ''), i++;
    } else if (ch === '\r' || ch === '\n') {
      throw new Error(`bare line break outside quotes at ${i}`);
    } else field += ch;
  }
  if (quoted) throw new Error('unterminated quoted field');
  if (field !== '' || row.length) row.push(field), rows.push(row);
  return rows;
}

/** Text of a PDF: raw content plus every FlateDecode stream inflated, as Latin-1. */
export async function pdfText(blob: Blob): Promise<string> {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  const latin1 = (b: Uint8Array) => Array.from(b, (c) => String.fromCharCode(c)).join('');
  const raw = latin1(bytes);
  const parts = [raw];
  for (const match of raw.matchAll(/\/FlateDecode[\s\S]*?stream\r?\n/g)) {
    const start = match.index + match[0].length;
    const end = raw.indexOf('endstream', start);
    const stream = new Blob([bytes.slice(start, end)]).stream().pipeThrough(new DecompressionStream('deflate'));
    try {
      parts.push(latin1(new Uint8Array(await new Response(stream).arrayBuffer())));
    } catch {
      // trailing EOL bytes before `endstream` can upset the inflater; retry without them
      const trimmed = bytes.slice(start, end).subarray(0, end - start - 1);
      parts.push(latin1(new Uint8Array(await new Response(new Blob([trimmed]).stream().pipeThrough(new DecompressionStream('deflate'))).arrayBuffer())));
    }
  }
  return parts.join('\n');
}

/** PDF string literal of `text` as jsPDF writes it for the standard fonts (parens escaped). */
export function pdfLiteral(text: string): string {
  return `(${text.replace(/([()\\])/g, '\\$1')})`;
}
