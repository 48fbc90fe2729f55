export function num0(v: string): number | undefined {
  const t = v.trim().replace(',', '.');
  return t === '' ? undefined : Number(t);
}
