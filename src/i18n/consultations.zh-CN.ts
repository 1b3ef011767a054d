// Simplified Chinese messages of consultations; consultations.en.ts has the same keys.
export const consultationsZh = {
} as const;
