import { expect } from '@open-wc/testing';
import * as XLSX from 'xlsx';
import { executeServerCommand } from '@web/test-runner-commands';
import { cellOf, defaultColumns, flattenEvent, reportColumns, rowReader, type Column } from './columns.ts';
import { exportFileName, saveBlob } from './download.ts';
import { createExport, type ExportProgressDetail, type ExportRequest } from './create-export.ts';
import { canvasToPng, chartsToPdf } from './images.ts';
import { neutralise } from './tabulate.ts';
import { parseCsv, pdfSource, pdfText, plainText, SCRIPT_NAMES } from '../../fixtures/export-readers.ts';
import { reportCell } from './pdf-report.ts';
import { leadEvent, trafficEvents } from '../../fixtures/stream-events.ts';

const INJECTIONS = ['=1+1', '+cmd|/C calc', '-2+3', '@SUM(A1:A2)', '\t=1', '\r=1', '=HYPERLINK("http://x","y")'];
const SUMMARY = 'Hot · Qualifying · $300k–$600k · last 7 days';

async function csvOf(request: Omit<ExportRequest, 'format'>) {
  const blob = await createExport({ format: 'csv', ...request });
  const bytes = new Uint8Array(await blob.arrayBuffer());
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  return { blob, bytes, text, table: parseCsv(text.replace(/^\uFEFF/, '')) };
}

const column = (table: string[][], header: string) => {
  const index = table[0].indexOf(header);
  expect(index, `column "${header}" in ${table[0].join('|')}`).to.be.at.least(0);
  return table.slice(1).map((row) => row[index]);
};

/** A 320×160 canvas with a bar, on a background when given. */
function chartCanvas(background?: string) {
  const canvas = Object.assign(document.createElement('canvas'), { width: 320, height: 160 });
  const ctx = canvas.getContext('2d')!;
  if (background) (ctx.fillStyle = background), ctx.fillRect(0, 0, 320, 160);
  ctx.fillStyle = '#0a5bd3';
  ctx.fillRect(10, 10, 100, 120);
  return canvas;
}

describe('export columns', () => {
  it('flattens lead events: budget split, free text, time as instant and local text', () => {
    const event = leadEvent({ name: 'Zoë', budget: { min: 300000, max: 600000, currency: 'USD' }, text: 'hi', score: 80 });
    const record = flattenEvent(event);
    expect(record.budgetMin).to.equal(300000);
    expect(record.budgetMax).to.equal(600000);
    expect(record.budgetCurrency).to.equal('USD');
    expect(record.text).to.equal('hi');
    expect((record.time as Date).getTime()).to.equal(event.ts);
    expect(record.timeLocal).to.deep.equal({ at: event.ts, offset: -new Date(event.ts).getTimezoneOffset(), zone: Intl.DateTimeFormat().resolvedOptions().timeZone });
    expect(record.timeZone).to.equal(Intl.DateTimeFormat().resolvedOptions().timeZone);
    expect(record.cursor).to.equal(event.cursor);
  });

  it('reads events in place into exactly the cells of the flat record, local time included', () => {
    // Every family, several events per minute and minutes apart, over a day (zone offsets move).
    const events = trafficEvents(600).map((e, i) => ({ ...e, ts: Date.UTC(2026, 2, 8, 0, 0, 0) + i * 137_003 + (i % 7) * 1_001 }));
    const columns = [...defaultColumns(events), { key: 'budget', header: 'raw' }, { key: 'error', header: 'raw' }, { key: 'data', header: 'x' }];
    const read = rowReader(columns);
    for (const event of events) {
      const record = flattenEvent(event);
      expect(read(event), event.type).to.deep.equal(columns.map((c) => cellOf(c, record)));
    }
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const time = rowReader([{ key: 'timeLocal', header: 'Local' }, { key: 'timeZone', header: 'Zone' }]);
    for (const event of events) expect(time(event)).to.deep.equal([{ at: event.ts, offset: -new Date(event.ts).getTimezoneOffset(), zone }, zone]);
    // A formatter is given the flat record; plain records are read as they are.
    const formatted = rowReader([{ key: 'budgetMin', header: 'k', formatter: (v, row) => `${v}/${row.type}` }]);
    expect(formatted(events[0])[0]).to.equal(`${flattenEvent(events[0]).budgetMin}/${events[0].type}`);
    expect(rowReader([{ key: 'a', header: 'A' }, { key: 'b', header: 'B' }])({ a: 1, b: { c: 2 } })).to.deep.equal([1, '{"c":2}']);
  });

  it('picks columns by the families present, lead fields once', () => {
    const events = trafficEvents(300);
    const keys = defaultColumns(events).map((c) => c.key);
    for (const key of ['time', 'timeLocal', 'type', 'tenant', 'priority', 'cursor', 'leadId', 'email', 'budgetMin', 'timeline', 'service', 'key', 'text']) {
      expect(keys, key).to.include(key);
    }
    expect(new Set(keys).size).to.equal(keys.length);
    const leadOnly = defaultColumns([leadEvent({})]).map((c) => c.key);
    expect(leadOnly).to.include('leadId').and.not.include('service');
    expect(defaultColumns([{ a: 1, b: 2 }]).map((c) => c.key)).to.deep.equal(['a', 'b']);
  });
});

describe('CSV export', () => {
  it('starts with a UTF-8 BOM and keeps accents', async () => {
    const { bytes, table } = await csvOf({ rows: [leadEvent({ name: 'Chloé Martínez', text: 'Ça va? 日本 €' })] });
    expect([...bytes.slice(0, 3)]).to.deep.equal([0xef, 0xbb, 0xbf]);
    expect(column(table, 'Name')).to.deep.equal(['Chloé Martínez']);
    expect(column(table, 'Message')).to.deep.equal(['Ça va? 日本 €']);
  });

  it('quotes quotes, commas, CR and LF (RFC 4180) and reads back exactly', async () => {
    const tricky = ['say "hi"', 'a,b', 'line1\r\nline2', 'only\nLF', 'only\rCR', '', '""', 'plain'];
    const { text, table } = await csvOf({ rows: tricky.map((t) => ({ value: t })) });
    expect(table.slice(1).map((r) => r[0])).to.deep.equal(tricky);
    expect(text).to.contain('"say ""hi"""');
    expect(text.split('\r\n')[0]).to.equal('\uFEFFvalue');
  });

  it('neutralises every formula-injection case by default', async () => {
    const { table } = await csvOf({ rows: INJECTIONS.map((value) => ({ value })) });
    expect(table.slice(1).map((r) => r[0])).to.deep.equal(INJECTIONS.map((v) => `'${v}`));
  });

  it('leaves plain numbers untouched, as numbers and as numeric text', async () => {
    const rows = [{ n: -42, s: '-42' }, { n: 1.5, s: '+1.5' }, { n: 0, s: '-0.5e3' }];
    const { table } = await csvOf({ rows });
    expect(table.slice(1)).to.deep.equal([['-42', '-42'], ['1.5', '+1.5'], ['0', '-0.5e3']]);
    expect(neutralise('-1+2')).to.equal("'-1+2");
  });

  it('writes formulas as they are when protection is off', async () => {
    const { table } = await csvOf({ rows: INJECTIONS.map((value) => ({ value })), protect: false });
    expect(table.slice(1).map((r) => r[0])).to.deep.equal(INJECTIONS);
  });

  it('writes default event columns: ISO time, local time, lead fields', async () => {
    const event = leadEvent({ name: 'Ava', email: 'ava@example.com', phone: '+1 512 555 0100', score: 91, budget: { min: 1, max: 2, currency: 'EUR' }, temperature: 'hot' });
    const { table } = await csvOf({ rows: [event] });
    expect(column(table, 'Time (UTC)')).to.deep.equal([new Date(event.ts).toISOString()]);
    expect(column(table, 'Local time')[0]).to.not.equal('');
    expect(column(table, 'Phone')).to.deep.equal(["'+1 512 555 0100"]);
    expect(column(table, 'Score')).to.deep.equal(['91']);
    expect(column(table, 'Currency')).to.deep.equal(['EUR']);
    expect(column(table, 'Temperature')).to.deep.equal(['hot']);
    expect(column(table, 'Type')).to.deep.equal(['lead.message_received']);
  });

  it('writes every instant as toISOString() would, within a minute, across minutes and years', async () => {
    const base = Date.UTC(2026, 11, 2, 1, 59, 58, 7);
    const times = [base, base + 1, base + 993, base + 1_000, base + 2_100, base + 62_000, 0, 59_999, 253402300799999, 253402300800000, -1, Date.UTC(-50, 0, 1)];
    for (let i = 0; i < 500; i++) times.push(Math.floor(Math.random() * 4e12));
    const { table } = await csvOf({ rows: times.map((t) => ({ at: new Date(t) })) });
    expect(column(table, 'at')).to.deep.equal(times.map((t) => new Date(t).toISOString()));
  });

  it('honours custom columns and formatters', async () => {
    const columns: Column[] = [
      { key: 'name', header: 'Lead' },
      { key: 'score', header: 'Score %', formatter: (value) => `${value as number}%` },
      { key: 'budgetMax', header: 'Over 500k', formatter: (value) => (value as number) > 500_000 },
    ];
    const { table } = await csvOf({ rows: [leadEvent({ name: 'Mia', score: 70, budget: { max: 600_000 } })], columns });
    expect(table).to.deep.equal([['Lead', 'Score %', 'Over 500k'], ['Mia', '70%', 'true']]);
  });

  it('reports progress up to 1, gives the page turns, and cancels', async () => {
    const rows = trafficEvents(20_000);
    const progress: ExportProgressDetail[] = [];
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 0);
    try {
      const { table } = await csvOfWithProgress(rows, (p) => progress.push(p));
      expect(table.length).to.equal(rows.length + 1);
    } finally {
      clearInterval(ticker);
    }
    expect(ticks, 'timers ran while exporting').to.be.greaterThan(0);
    expect(progress.at(-1)).to.deep.equal({ fraction: 1, rows: rows.length, total: rows.length });
    for (let i = 1; i < progress.length; i++) expect(progress[i].fraction).to.be.at.least(progress[i - 1].fraction);

    const controller = new AbortController();
    const cancelled = createExport({ format: 'csv', rows }, { signal: controller.signal, onProgress: () => controller.abort() });
    const error = await cancelled.then(() => null, (e: unknown) => e as DOMException);
    expect(error?.name).to.equal('AbortError');
  });
});

async function csvOfWithProgress(rows: readonly unknown[], onProgress: (p: ExportProgressDetail) => void) {
  const blob = await createExport({ format: 'csv', rows }, { onProgress });
  return { table: parseCsv((await blob.text()).replace(/^\uFEFF/, '')) };
}

describe('JSON export', () => {
  interface JsonExport {
    title: string;
    exportedAt: string;
    filterSummary: string;
    filter: object;
    rowCount: number;
    rows: Array<Record<string, unknown>>;
  }
  const jsonOf = async (request: Omit<ExportRequest, 'format'>) => JSON.parse(await (await createExport({ format: 'json', ...request })).text()) as JsonExport;

  it('carries its title, export time, filters (summary and model) and row count, then the rows', async () => {
    const exportedAt = new Date(Date.UTC(2026, 10, 22, 14, 5, 9, 120));
    const filter = { temperatures: ['hot' as const], stages: ['qualifying' as const], datePreset: '7d' as const, from: 1_700_000_000_000 };
    const events = [leadEvent({ name: 'Noah' }), leadEvent({ name: 'Ava' })];
    const parsed = await jsonOf({ rows: events, title: 'Austin leads', filters: SUMMARY, filter, exportedAt });
    expect(Object.keys(parsed)).to.deep.equal(['title', 'exportedAt', 'filterSummary', 'filter', 'rowCount', 'rows']);
    expect(parsed).to.deep.include({ title: 'Austin leads', exportedAt: '2026-11-22T14:05:09.120Z', filterSummary: SUMMARY, filter, rowCount: 2 });
    expect(parsed.rows.map((r) => r.name)).to.deep.equal(['Noah', 'Ava']);
  });

  it('round-trips rows as objects keyed by column', async () => {
    const events = [leadEvent({ name: 'Noah', score: 12, budget: { min: 5 } }), leadEvent({ name: 'Liam "LJ"', text: 'a\nb' })];
    const { rows: parsed, rowCount } = await jsonOf({ rows: events });
    const columns = defaultColumns(events);
    expect(parsed).to.have.length(2);
    expect(rowCount).to.equal(2);
    expect(Object.keys(parsed[0])).to.deep.equal(columns.map((c) => c.key));
    expect(parsed[0].time).to.equal(new Date(events[0].ts).toISOString());
    expect(parsed[0].budgetMin).to.equal(5);
    expect(parsed[0].budgetMax).to.equal(null);
    expect(parsed[1].name).to.equal('Liam "LJ"');
    expect(parsed[1].text).to.equal('a\nb');
  });

  it('round-trips raw events exactly, thousands of them, and empty input as no rows', async () => {
    const events = trafficEvents(5_000);
    const parsed = await jsonOf({ rows: events, raw: true });
    expect(parsed.rows).to.deep.equal(JSON.parse(JSON.stringify(events)));
    expect(parsed.rowCount).to.equal(5_000);
    const empty = await jsonOf({ rows: [] });
    expect(empty).to.deep.include({ rows: [], rowCount: 0, filterSummary: '', filter: {} });
  });
});

for (const worker of [true, false]) {
  describe(`XLSX export (${worker ? 'in a worker' : 'on the page'})`, () => {
    it('has typed cells, protected text and a Filters sheet', async () => {
      const exportedAt = new Date(Date.UTC(2026, 10, 22, 14, 5));
      const events = [
        leadEvent({ name: 'Sofia', score: 88, budget: { min: 300_000, max: 600_000 }, text: '=HYPERLINK("x")' }),
        leadEvent({ name: 'Kenji', score: 0, text: '-42' }),
      ];
      const builders: string[] = [];
      const blob = await createExport({ format: 'xlsx', rows: events, filters: SUMMARY, exportedAt, worker }, { onBuilder: (where) => builders.push(where) });
      expect(builders, 'where the file was built').to.deep.equal([worker ? 'worker' : 'page']);
      const book = XLSX.read(new Uint8Array(await blob.arrayBuffer()), { type: 'array', cellNF: true });
      expect(book.SheetNames).to.deep.equal(['Export', 'Filters']);
      const sheet = book.Sheets.Export;
      const table = XLSX.utils.sheet_to_json<unknown[]>(sheet, { header: 1, raw: true });
      const headers = table[0] as string[];
      const at = (row: number, header: string) => sheet[XLSX.utils.encode_cell({ r: row, c: headers.indexOf(header) })];
      expect(at(1, 'Name')).to.include({ t: 's', v: 'Sofia' });
      expect(at(1, 'Score')).to.include({ t: 'n', v: 88 });
      expect(at(2, 'Score')).to.include({ t: 'n', v: 0 });
      expect(at(1, 'Budget max')).to.include({ t: 'n', v: 600_000 });
      expect(at(1, 'Message')).to.include({ t: 's', v: `'=HYPERLINK("x")` });
      expect(at(2, 'Message')).to.include({ t: 's', v: '-42' });
      expect(at(1, 'Currency'), 'no currency given: no cell').to.satisfy((cell: unknown) => cell === undefined);
      const time = at(1, 'Time (UTC)');
      expect(time.t).to.equal('n');
      expect(time.z).to.match(/yyyy-mm-dd/);
      expect(time.v).to.be.closeTo(events[0].ts / 86_400_000 + 25_569, 1e-9);
      expect(XLSX.SSF.format(time.z as string, time.v)).to.equal('2026-11-22 14:05:03');

      const filters = XLSX.utils.sheet_to_json<unknown[]>(book.Sheets.Filters, { header: 1, raw: true });
      expect(filters[1]).to.deep.equal(['Filters', SUMMARY]);
      expect(filters[3]).to.deep.equal(['Rows', 2]);
      expect(filters[2][1]).to.be.closeTo(exportedAt.getTime() / 86_400_000 + 25_569, 1e-9);
    });

    it('protects the header row and the Filters sheet too, unless formulas are allowed', async () => {
      const columns: Column[] = [{ key: 'a', header: '=HYPERLINK("http://x","y")' }, { key: 'b', header: 'Plain' }];
      const request = { format: 'xlsx' as const, rows: [{ a: '@SUM(A1)', b: 1 }], columns, title: '+Report', filters: '-1+2 · “x”', worker };
      const read = async (protect: boolean) => {
        const book = XLSX.read(new Uint8Array(await (await createExport({ ...request, protect })).arrayBuffer()), { type: 'array' });
        return {
          data: XLSX.utils.sheet_to_json<unknown[]>(book.Sheets.Export, { header: 1, raw: true }),
          filters: XLSX.utils.sheet_to_json<unknown[]>(book.Sheets.Filters, { header: 1, raw: true }),
        };
      };
      const safe = await read(true);
      expect(safe.data).to.deep.equal([[`'=HYPERLINK("http://x","y")`, 'Plain'], ["'@SUM(A1)", 1]]);
      expect(safe.filters.slice(0, 2)).to.deep.equal([['Report', "'+Report"], ['Filters', "'-1+2 · “x”"]]);
      const raw = await read(false);
      expect(raw.data).to.deep.equal([['=HYPERLINK("http://x","y")', 'Plain'], ['@SUM(A1)', 1]]);
      expect(raw.filters.slice(0, 2)).to.deep.equal([['Report', '+Report'], ['Filters', '-1+2 · “x”']]);
    });

    it('exports thousands of rows with progress to 1', async () => {
      const rows = trafficEvents(5_000);
      const progress: number[] = [];
      const builders: string[] = [];
      const blob = await createExport({ format: 'xlsx', rows, worker }, { onProgress: (p) => progress.push(p.fraction), onBuilder: (where) => builders.push(where) });
      expect(builders).to.deep.equal([worker ? 'worker' : 'page']);
      const book = XLSX.read(new Uint8Array(await blob.arrayBuffer()), { type: 'array' });
      expect(XLSX.utils.sheet_to_json(book.Sheets.Export)).to.have.length(rows.length);
      expect(progress.at(-1)).to.equal(1);
      expect(progress.some((f) => f > 0 && f < 1)).to.equal(true);
    });
  });
}

describe('local times and hostile text', () => {
  const at = Date.UTC(2026, 10, 22, 14, 5, 3);
  const zoned = async (zone: string, run: () => Promise<void>) => {
    await executeServerCommand('emulate-timezone', { zone });
    try {
      await run();
    } finally {
      await executeServerCommand('emulate-timezone', { zone: undefined });
    }
  };
  const sheetXml = async (blob: Blob) => {
    const zip = XLSX.CFB.read(new Uint8Array(await blob.arrayBuffer()), { type: 'array' });
    const index = zip.FullPaths.findIndex((path: string) => path.endsWith('xl/worksheets/sheet1.xml'));
    expect(index, zip.FullPaths.join(', ')).to.be.at.least(0);
    return new TextDecoder().decode(zip.FileIndex[index].content as Uint8Array);
  };

  for (const [zone, local, wall] of [
    ['America/New_York', '2026-11-22T09:05:03.000-05:00', '2026-11-22 09:05:03'],
    ['Asia/Tokyo', '2026-11-22T23:05:03.000+09:00', '2026-11-22 23:05:03'],
  ] as const) {
    it(`writes local times with their offset and zone (${zone}): CSV and JSON as ISO 8601, XLSX as a date cell`, async () => {
      await zoned(zone, async () => {
        const rows = [leadEvent({ name: 'Ana' }, at)];
        const { table } = await csvOf({ rows });
        expect(column(table, 'Local time')).to.deep.equal([local]);
        expect(column(table, 'Time zone')).to.deep.equal([zone]);
        expect(Date.parse(local)).to.equal(at);
        const json = JSON.parse(await (await createExport({ format: 'json', rows })).text());
        expect(json.rows[0]).to.include({ timeLocal: local, timeZone: zone });
        const book = XLSX.read(new Uint8Array(await (await createExport({ format: 'xlsx', rows })).arrayBuffer()), { type: 'array', cellNF: true });
        const sheet = book.Sheets.Export;
        const headers = XLSX.utils.sheet_to_json<string[]>(sheet, { header: 1 })[0];
        const cell = sheet[XLSX.utils.encode_cell({ r: 1, c: headers.indexOf('Local time') })];
        expect(cell.t).to.equal('n');
        expect(XLSX.SSF.format(cell.z as string, cell.v)).to.equal(wall);
        const pdf = plainText(await pdfText(await createExport({ format: 'pdf', rows })));
        expect(pdf).to.contain(`${wall} ${local.slice(-6)}`);
        expect(pdf).to.contain(`Local times: ${zone} (UTC${local.slice(-6)})`);
      });
    });
  }

  const HOSTILE = ['a\0b', '\0=1+1', 'bell\x07 and escape\x1b[31m', 'line\r\nbreak\rold mac', 'half \ud83d emoji \ude00 and whole 😀', 'non\ufffechar'];
  const CLEAN_CSV = ['ab', "'=1+1", 'bell and escape[31m', 'line\r\nbreak\rold mac', 'half \ufffd emoji \ufffd and whole 😀', 'nonchar'];

  it('CSV drops NUL and other control characters, replaces lone surrogates, and still guards formulas', async () => {
    const { bytes, table } = await csvOf({ rows: HOSTILE.map((v) => ({ v })) });
    expect(column(table, 'v')).to.deep.equal(CLEAN_CSV);
    expect([...bytes].includes(0), 'no NUL byte in the file').to.equal(false);
  });

  it('CSV keeps a huge cell whole (a million characters) and reads back exactly', async () => {
    const huge = 'é,"x"\n'.repeat(166_667);
    const { table } = await csvOf({ rows: [{ v: huge, n: 1 }] });
    expect(column(table, 'v')[0]).to.equal(huge);
    expect(column(table, 'n')).to.deep.equal(['1']);
  });

  it('XLSX holds no control character escapes (_x0000_, _x000D_), lone surrogates replaced, formulas guarded', async () => {
    const blob = await createExport({ format: 'xlsx', rows: HOSTILE.map((v) => ({ v })) });
    expect(await sheetXml(blob)).not.to.match(/_x00[0-9a-f]{2}_/i);
    const book = XLSX.read(new Uint8Array(await blob.arrayBuffer()), { type: 'array' });
    const values = XLSX.utils.sheet_to_json<{ v: string }>(book.Sheets.Export).map((r) => r.v);
    expect(values).to.deep.equal(CLEAN_CSV.map((v) => v.replace(/\r\n?/g, '\n')));
  });

  it("XLSX cuts a cell over Excel's 32,767 characters to the limit, ending in …; CSV and JSON keep it whole", async () => {
    const huge = 'x'.repeat(40_000);
    const book = XLSX.read(new Uint8Array(await (await createExport({ format: 'xlsx', rows: [{ v: huge }] })).arrayBuffer()), { type: 'array' });
    const value = XLSX.utils.sheet_to_json<{ v: string }>(book.Sheets.Export)[0].v;
    expect(value.length).to.equal(32_767);
    expect(value.endsWith('x…')).to.equal(true);
    const json = JSON.parse(await (await createExport({ format: 'json', rows: [{ v: huge }] })).text());
    expect(json.rows[0].v).to.equal(huge);
  });
});

describe('PDF export', () => {
  it('carries the title, filter summary, export time, zone, row count and page numbers', async () => {
    const rows = trafficEvents(150);
    const exportedAt = new Date(Date.UTC(2026, 10, 22, 14, 5, 9));
    const blob = await createExport({ format: 'pdf', rows, title: 'Austin leads', filters: SUMMARY, exportedAt });
    const bytes = new Uint8Array(await blob.arrayBuffer());
    expect(String.fromCharCode(...bytes.slice(0, 5))).to.equal('%PDF-');
    const text = plainText(await pdfText(blob));
    expect(text).to.contain('Austin leads');
    expect(text).to.contain(`Rows: ${rows.length}`);
    expect(text).to.contain('Exported: 2026-11-22 14:05:09Z');
    expect(text).to.contain(`Filters: ${SUMMARY}`);
    expect(text).to.contain(`Local times: ${Intl.DateTimeFormat().resolvedOptions().timeZone}`);
    const pages = Number(/\/Count (\d+)/.exec(await pdfSource(blob))?.[1]);
    expect(pages).to.be.greaterThan(1);
    expect(text).to.contain(`Page ${pages} of ${pages}`);
  });

  it("reads back every script's names as written: Cyrillic, Greek, Arabic and Hebrew (right to left), CJK, Vietnamese", async () => {
    const rows = SCRIPT_NAMES.map((name, i) => leadEvent({ name, email: `lead${i}@example.com`, text: `${name} asked about viewings` }));
    const blob = await createExport({ format: 'pdf', rows, title: 'Leads — Лиды — 潜在客户' });
    const text = plainText(await pdfText(blob));
    expect(text).to.contain('Leads — Лиды — 潜在客户');
    for (const name of SCRIPT_NAMES) expect(text, name).to.contain(plainText(name));
    // Only the fonts used are embedded, and only their glyphs: the CJK font is over 10 MB.
    expect(blob.size).to.be.below(1_000_000);
  });

  it('shows the columns a person reads, every cell whole (wrapped, never cut)', async () => {
    const long = 'Asked whether the seller would consider an offer below asking with a quick close, and about HOA fees, parking and the school district';
    const rows = Array.from({ length: 33 }, (_, i) =>
      leadEvent({ name: `Alexandra Konstantinopoulou-Smith ${i}`, email: `alexandra.konstantinopoulou${i}@longdomain-realestate.example.com`, phone: '+1 (512) 555-0142', text: i % 3 ? long : `Short note ${i}` }),
    );
    const blob = await createExport({ format: 'pdf', rows });
    const drawn = await pdfText(blob, { raw: true });
    const raw = plainText(drawn);
    const columns = reportColumns(defaultColumns(rows));
    expect(columns.map((c) => c.header)).to.deep.equal(['Local time', 'Type', 'Name', 'Email', 'Phone', 'Stage', 'Temperature', 'Score', 'Message']);
    for (const header of ['Cursor', 'Tenant', 'Lead ID', 'Time (UTC)']) expect(raw).not.to.contain(header);
    const read = rowReader(columns);
    // Each cell's characters in order, whatever line breaks wrapping put between them.
    const joined = raw.replace(/ /g, '');
    let cells = 0;
    for (const row of rows) {
      for (const cell of read(row).map(reportCell)) {
        if (cell) expect(joined, cell).to.contain(plainText(cell).replace(/ /g, '')), cells++;
      }
    }
    expect(cells).to.be.at.least(33 * 6);
    expect(drawn).not.to.contain('…');
    // Words are not split when the column can hold them: the message's words each on one line.
    for (const word of long.split(' ')) expect(raw.split(' '), word).to.include(word.replace(/,$/, ','));
  });

  it('draws the source\'s charts in the same report, after the table', async () => {
    // Opaque, as a chart with a background: an image without a transparency mask.
    const blob = await createExport({ format: 'pdf', rows: trafficEvents(20), charts: [{ title: 'Delivery latency', canvas: chartCanvas('#fff') }] });
    expect(plainText(await pdfText(blob))).to.contain('Delivery latency');
    expect((await pdfSource(blob)).match(/\/Subtype \/Image/g)).to.have.length(1);
  });

  it('keeps a huge cell to a page: wrapped up to 40 lines, the rest marked by "…"', async () => {
    const blob = await createExport({ format: 'pdf', rows: [{ note: 'word '.repeat(20_000), n: 1 }] });
    const drawn = await pdfText(blob, { raw: true });
    expect(drawn).to.contain('word word');
    expect(drawn).to.contain('…');
    expect(drawn.match(/word/g)!.length).to.be.below(5_000);
  });

  it('fails with the font and its URL when a font cannot load, and works once it can', async () => {
    const rows = [leadEvent({ name: 'דוד כהן' })];
    const fetchFont = window.fetch;
    window.fetch = (input, init) =>
      String(input).includes('NotoSansHebrew') ? Promise.resolve(new Response('gone', { status: 404 })) : fetchFont(input, init);
    try {
      const error = await createExport({ format: 'pdf', rows, worker: false }).then(() => null, (e: Error) => e);
      expect(error?.message).to.match(/the PDF font NotoSansHebrew-Regular\.ttf could not load from \S+NotoSansHebrew-Regular\.ttf: HTTP 404/);
    } finally {
      window.fetch = fetchFont;
    }
    const blob = await createExport({ format: 'pdf', rows, worker: false });
    expect(plainText(await pdfText(blob))).to.contain('דוד כהן');
  });

  it('is cancellable while the worker builds', async () => {
    const controller = new AbortController();
    const run = createExport({ format: 'pdf', rows: trafficEvents(3_000) }, {
      signal: controller.signal,
      onProgress: (p) => p.fraction >= 0.5 && controller.abort(),
    });
    const error = await run.then(() => null, (e: unknown) => e as DOMException);
    expect(error?.name).to.equal('AbortError');
  });
});

describe('chart images', () => {
  const chart = () => chartCanvas();

  it('PNG has the signature and decodes to the canvas size', async () => {
    const blob = await canvasToPng(chart());
    const bytes = new Uint8Array(await blob.arrayBuffer());
    expect([...bytes.slice(0, 8)]).to.deep.equal([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const image = await createImageBitmap(blob);
    expect([image.width, image.height]).to.deep.equal([320, 160]);
  });

  it('a PDF of charts has the heading and one image per chart', async () => {
    const blob = await chartsToPdf([{ title: 'Latency', canvas: chart() }, { title: 'Throughput', canvas: chart() }], {
      title: 'Pipeline health',
      filters: '',
      exportedAt: new Date(),
      rowCount: 2,
    });
    const text = plainText(await pdfText(blob));
    expect(text).to.contain('Pipeline health');
    expect(text).to.contain('Latency');
    expect(text).to.contain('Throughput');
    expect((await pdfSource(blob)).match(/\/Subtype \/Image/g)).to.have.length(2);
  });
});

describe('file names and downloads', () => {
  it('are dated and safe', () => {
    const at = new Date(2026, 10, 22, 14, 5);
    expect(exportFileName('leadwire-activity', 'csv', at)).to.equal('leadwire-activity-2026-11-22T1405.csv');
    expect(exportFileName('../../etc/passwd', 'json', at)).to.equal('etc-passwd-2026-11-22T1405.json');
    expect(exportFileName('Café Ünïcode: "report"?', 'xlsx', at)).to.equal('Cafe-Unicode-report-2026-11-22T1405.xlsx');
    expect(exportFileName('', 'pdf', at)).to.equal('leadwire-export-2026-11-22T1405.pdf');
  });

  it('offer the blob under the file name and revoke the object URL afterwards', async () => {
    let link: HTMLAnchorElement | undefined;
    const url = saveBlob(new Blob(['x']), 'a.csv', { click: (a) => (link = a), revokeAfterMs: 0 });
    expect(link?.download).to.equal('a.csv');
    expect(link?.href).to.equal(url);
    for (let i = 0; i < 100; i++) {
      const alive = await fetch(url).then(() => true, () => false);
      if (!alive) return;
      await new Promise((r) => setTimeout(r, 10));
    }
    expect.fail('object URL still readable');
  });
});
