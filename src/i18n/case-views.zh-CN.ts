// Simplified Chinese messages of case-views; case-views.en.ts has the same keys.
export const caseViewsZh = {
} as const;
