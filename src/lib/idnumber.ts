// Resident identity numbers (GB 11643): 17 digits and an ISO 7064 MOD 11-2 check
// character (0-9 or X). Pure helpers: validation, normalisation and masking.

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

/** Upper-cases a trailing x and strips spaces a clerk may type between groups. */
export function normalizeIdNumber(value: string): string {
  return value.replace(/\s+/g, '').toUpperCase();
}

export function idCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK[sum % 11];
}

export type IdProblem = 'format' | 'checksum' | 'birthdate';

/** Why an ID number is not valid, or null when it is. */
export function idNumberProblem(value: string): IdProblem | null {
  if (!/^\d{17}[\dX]$/.test(value)) return 'format';
  const y = Number(value.slice(6, 10));
  const m = Number(value.slice(10, 12));
  const d = Number(value.slice(12, 14));
  const birth = new Date(Date.UTC(y, m - 1, d));
  if (y < 1900 || birth.getUTCMonth() !== m - 1 || birth.getUTCDate() !== d || birth.getTime() > Date.now()) return 'birthdate';
  if (idCheckChar(value.slice(0, 17)) !== value[17]) return 'checksum';
  return null;
}

/** Shown in lists and exports: the region prefix and the last four only. */
export function maskIdNumber(value: string | null | undefined): string {
  if (!value) return '';
  return `${value.slice(0, 6)}********${value.slice(-4)}`;
}

/** The birth date an ID number carries (for age-based rules), as YYYY-MM-DD. */
export function birthDateOf(value: string): string {
  return `${value.slice(6, 10)}-${value.slice(10, 12)}-${value.slice(12, 14)}`;
}
