// Deterministic randomness for the demo data: a seeded PRNG and the invented
// names and numbers drawn from it (so every run of the seed is identical).

// 苟, 岳, 何 and 向 are frequent in Bazhong
export const SURNAMES = [...'王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶苟岳向'];
export const GIVEN = [...'伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红梅志文建国春晓燕云飞鹏辉海波宇婷雪琳浩然欣怡俊凯'];

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Rng = () => number;
export const int = (rng: Rng, min: number, max: number) => min + Math.floor(rng() * (max - min + 1));
export const pick = <T>(rng: Rng, list: readonly T[]): T => list[Math.floor(rng() * list.length)];
export const digits = (rng: Rng, n: number) => Array.from({ length: n }, () => int(rng, 0, 9)).join('');

export function sample<T>(rng: Rng, list: readonly T[], n: number): T[] {
  const pool = [...list];
  for (let i = pool.length - 1; i > 0; i--) {
    const j = int(rng, 0, i);
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, n);
}

/** Draws until `make` yields a value not yet in `seen`. */
export function unique(seen: Set<string>, make: () => string): string {
  let value = make();
  while (seen.has(value)) value = make();
  seen.add(value);
  return value;
}

export const personName = (rng: Rng) =>
  pick(rng, SURNAMES) + pick(rng, GIVEN) + (rng() < 0.7 ? pick(rng, GIVEN) : '');
export const mobile = (rng: Rng) => pick(rng, ['13', '15', '18']) + digits(rng, 9);
