/**
 * The certificate and key of a gateway that serves TLS itself (TLS_CERT_FILE, TLS_KEY_FILE),
 * read at start and checked as a pair, so a wrong file stops the gateway with a message that
 * names it instead of failing every handshake later.
 */
import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { ConfigError, type Config } from './config.ts';

export interface TlsFiles {
  cert: Buffer;
  key: Buffer;
}

/** The PEM pair when TLS is configured, else undefined; throws ConfigError naming what is wrong. */
export function loadTls(config: Pick<Config, 'TLS_CERT_FILE' | 'TLS_KEY_FILE'>): TlsFiles | undefined {
  const { TLS_CERT_FILE: certFile, TLS_KEY_FILE: keyFile } = config;
  if (!certFile && !keyFile) return undefined;
  if (!certFile || !keyFile) throw new ConfigError('invalid configuration:\n  TLS_CERT_FILE and TLS_KEY_FILE must be set together');
  const read = (name: string, path: string) => {
    try {
      return readFileSync(path);
    } catch (error) {
      throw new ConfigError(`invalid configuration:\n  ${name}=${JSON.stringify(path)}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
  };
  const files = { cert: read('TLS_CERT_FILE', certFile), key: read('TLS_KEY_FILE', keyFile) };
  try {
    createSecureContext(files);
  } catch (error) {
    // OpenSSL's words: "key values mismatch", "no start line" (not PEM), …
    throw new ConfigError(
      `invalid configuration:\n  TLS_CERT_FILE=${JSON.stringify(certFile)}, TLS_KEY_FILE=${JSON.stringify(keyFile)}: not a PEM certificate and its private key (${(error as Error).message})`,
    );
  }
  return files;
}
