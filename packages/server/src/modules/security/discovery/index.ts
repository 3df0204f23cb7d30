export { addressKind, chineseNameKind } from './chinese-text.ts';
export {
  type ColumnScan,
  type FieldProposal,
  RECOGNIZER_IDS,
  type RecognizerFinding,
  type RecognizerId,
  type ScanField,
  type ScanOptions,
  type ScanReport,
} from './discovery.model.ts';
export { maskValue } from './mask.ts';
export { isScanError, ScanError, type ScanErrorCode } from './scan-error.ts';
export { type ScanFileOptions, scanFile } from './scan-file.ts';
export { createColumnScanner, HOLD_CONFIDENCE } from './scanner.ts';
export {
  isBankCard,
  isCoordinatePair,
  isCreditCode,
  isEmail,
  isIpv4,
  isIpv6,
  isMobile,
  isPlausibleBirthDate,
  isPreciseDegree,
  isResidentId,
  isVehiclePlate,
  mobileKind,
  passportKind,
} from './validators.ts';
