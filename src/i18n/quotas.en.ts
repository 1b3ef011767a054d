import type { quotasZh } from './quotas.zh-CN.js';

export const quotasEn: Record<keyof typeof quotasZh, string> = {
};
