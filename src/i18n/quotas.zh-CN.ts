// Simplified Chinese messages of quotas; quotas.en.ts has the same keys.
export const quotasZh = {
} as const;
