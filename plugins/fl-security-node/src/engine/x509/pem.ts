/**
 * PEM bundles (tls.crt, ca.crt, trust bundles) into certificates. Every
 * CERTIFICATE block is read on its own; a bad block is a typed error with its
 * position and never hides the readable ones. Never throws.
 */
import { Certificate, ParseErrorCode, parseCertificate } from './certificate';

export interface PemBlockError {
  /** 1-based position among the CERTIFICATE blocks. */
  block: number;
  code: ParseErrorCode | 'bad-base64';
  message: string;
}

export interface PemBundle {
  certificates: Certificate[];
  errors: PemBlockError[];
  /** No CERTIFICATE block at all. */
  empty: boolean;
  /** Blocks beyond `maxBlocks` that were not read. */
  unread: number;
}

const BLOCK =
  /-----BEGIN ([A-Z0-9 ]{1,64})-----([\s\S]*?)-----END ([A-Z0-9 ]{1,64})-----/g;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Bundles beyond this many blocks are cut (a Secret can hold thousands). */
export const DEFAULT_MAX_BLOCKS = 1000;

export function readPemBundle(
  text: string,
  options: { maxBlocks?: number } = {},
): PemBundle {
  const max = options.maxBlocks ?? DEFAULT_MAX_BLOCKS;
  const out: PemBundle = {
    certificates: [],
    errors: [],
    empty: true,
    unread: 0,
  };
  if (typeof text !== 'string') return out;
  let block = 0;
  for (const match of text.matchAll(BLOCK)) {
    if (match[1] !== 'CERTIFICATE') continue;
    block += 1;
    out.empty = false;
    if (block > max) {
      out.unread += 1;
      continue;
    }
    if (match[3] !== 'CERTIFICATE') {
      out.errors.push({
        block,
        code: 'not-der',
        message: `PEM block ${block} ends with "${match[3]}" instead of CERTIFICATE`,
      });
      continue;
    }
    const body = match[2].replace(/\s+/g, '');
    if (!BASE64.test(body) || body.length % 4 !== 0) {
      out.errors.push({
        block,
        code: 'bad-base64',
        message: `PEM block ${block} is not valid base64`,
      });
      continue;
    }
    const parsed = parseCertificate(Buffer.from(body, 'base64'));
    if (parsed.ok) out.certificates.push(parsed.certificate);
    else
      out.errors.push({
        block,
        code: parsed.error.code,
        message: `PEM block ${block}: ${parsed.error.message}`,
      });
  }
  return out;
}
