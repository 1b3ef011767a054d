import type { consultationsZh } from './consultations.zh-CN.js';

export const consultationsEn: Record<keyof typeof consultationsZh, string> = {
};
