/** Dated, safe file names and the download itself (object URL revoked once the save began). */

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * `leadwire-activity-2026-11-22T1405.csv`: the base reduced to letters, digits, `.`, `_`, `-`
 * (no path separators, no control or reserved characters), stamped with the local time.
 */
export function exportFileName(base: string, extension: string, at = new Date()): string {
  const safe =
    base
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/^[.-]+|[.-]+$/g, '')
      .replace(/-{2,}/g, '-')
      .slice(0, 80) || 'leadwire-export';
  const stamp = `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}${pad(at.getMinutes())}`;
  return `${safe}-${stamp}.${extension.replace(/[^a-z0-9]/gi, '')}`;
}

export interface SaveOptions {
  /** How the link is followed; tests pass their own to keep files off the disk. */
  click?: (link: HTMLAnchorElement) => void;
  /** Delay before the object URL is revoked (the browser has started reading it by then). */
  revokeAfterMs?: number;
}

/** Offers the blob as a download; returns the object URL, which is revoked shortly after. */
export function saveBlob(blob: Blob, fileName: string, { click = (a) => a.click(), revokeAfterMs = 1_000 }: SaveOptions = {}): string {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  try {
    click(link);
  } finally {
    setTimeout(() => URL.revokeObjectURL(url), revokeAfterMs);
  }
  return url;
}
