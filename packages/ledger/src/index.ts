// @datapolis/ledger: an append-only Merkle transparency log (RFC 9162) with Ed25519 signed tree heads.
// Node entry point; the browser-safe verifiers are also available alone as "@datapolis/ledger/verify".

export {
  type AsyncAuditInput,
  type AuditEntry,
  type AuditInput,
  type AuditOptions,
  type AuditProblem,
  type AuditProblemKind,
  type AuditReport,
  auditLog,
  auditLogAsync,
  LogAuditor,
} from './audit-log.ts';
export { canonicalBytes, canonicalJson } from './canonical-json.ts';
export { bytesEqual, fromBase64, fromHex, toBase64, toHex } from './encoding.ts';
export { emptyRoot, hashEntry, hashEntryJson, leafHash, nodeHash, sha256 } from './hash.ts';
export {
  consistencyProof,
  consistencyProofCoordinates,
  type GetNode,
  inclusionProof,
  inclusionProofCoordinates,
  MerkleFrontier,
  type NodeCoordinate,
  nodeGetter,
  type PerfectNode,
  rootAt,
  rootCoordinates,
} from './merkle-tree.ts';
export {
  generateSigningKey,
  keyId,
  publicKeyPemFromPrivate,
  publicKeySpkiBase64,
  type SigningKeyPair,
  signTreeHead,
  treeHeadVerifier,
  verifyTreeHead,
} from './signing.ts';
export {
  KEY_ID_BYTES,
  type SignedTreeHead,
  TREE_HEAD_VERSION,
  type TreeHead,
  treeHeadMessage,
} from './tree-head.ts';
export {
  hashEntryJsonAsync,
  keyIdAsync,
  leafHashAsync,
  nodeHashAsync,
  treeHeadRoot,
  verifyConsistencyAsync,
  verifyInclusionAsync,
  verifyTreeHeadSignatureAsync,
} from './verify.ts';
export { EMPTY_ROOT_HEX } from './verify-core.ts';
export { verifyConsistency, verifyInclusion } from './verify-sync.ts';
