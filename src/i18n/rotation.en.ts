import type { rotationZh } from './rotation.zh-CN.js';

export const rotationEn: Record<keyof typeof rotationZh, string> = {
};
