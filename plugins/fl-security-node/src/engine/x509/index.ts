/**
 * Certificate verdicts a TLS client would agree with: path validation
 * (validatePath), host/IP matching (matchHost), key usages (ekuAllows,
 * leafKeyUsageAllows) and crash-proof parsing (parseCertificate,
 * readPemBundle). Pure: certificates and a clock in, typed results out.
 * Conformance: x509-limbo (limbo.test.ts) and `openssl verify`
 * (limboOpenssl.test.ts). How the rules use this: README.md.
 */
export {
  parseCertificate,
  isSelfIssued,
  MAX_CERTIFICATE_BYTES,
} from './certificate';
export type {
  Certificate,
  ParseError,
  ParseErrorCode,
  ParseResult,
} from './certificate';
export { readPemBundle, DEFAULT_MAX_BLOCKS } from './pem';
export type { PemBundle, PemBlockError } from './pem';
export { OID, UNDERSTOOD_CRITICAL } from './extensions';
export type {
  BasicConstraints,
  DecodedExtensions,
  GeneralName,
  KeyUsageName,
  NameConstraints,
} from './extensions';
export { matchHost, matchIp, sanSummary } from './matchHost';
export type { HostMatch } from './matchHost';
export { dnsNameMatches, isValidHostName, wildcardAllowed } from './hostNames';
export { bytesEqual, ipBytes, ipText } from './ipAddresses';
export { ekuAllows, ekuName, leafKeyUsageAllows } from './usage';
export type { Purpose, UsageVerdict } from './usage';
export {
  validatePath,
  validateServerPath,
  validateClientPath,
  signedBy,
  DEFAULT_MAX_INTERMEDIATES,
  SIGNATURE_BUDGET,
} from './validatePath';
export type { CertificateInput, PathInput, PathResult } from './validatePath';
export { isIndeterminate } from './problems';
export type { Problem, ProblemCode, Role } from './problems';
