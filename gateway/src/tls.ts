/**
 * The certificate and key of a gateway that serves TLS itself (TLS_CERT_FILE, TLS_KEY_FILE),
 * read at start and checked as a pair, so a wrong file stops the gateway with a message that
 * names it instead of failing every handshake later.
 */
import { readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
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

/**
 * The CA a `rediss://` REDIS_URL is verified against (REDIS_TLS_CA_FILE), for ioredis's `tls`
 * option; undefined leaves Node's default CAs. Read and parsed at start, so a file that is not
 * a PEM certificate stops the gateway here rather than failing every handshake later.
 */
export function loadRedisTls(config: Pick<Config, 'REDIS_URL' | 'REDIS_TLS_CA_FILE'>): { ca: Buffer } | undefined {
  const file = config.REDIS_TLS_CA_FILE;
  if (!file) return undefined;
  let ca: Buffer;
  try {
    ca = readFileSync(file);
  } catch (error) {
    throw new ConfigError(`invalid configuration:\n  REDIS_TLS_CA_FILE=${JSON.stringify(file)}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  try {
    new X509Certificate(ca);
  } catch (error) {
    throw new ConfigError(`invalid configuration:\n  REDIS_TLS_CA_FILE=${JSON.stringify(file)}: not a PEM certificate (${(error as Error).message})`);
  }
  return { ca };
}
