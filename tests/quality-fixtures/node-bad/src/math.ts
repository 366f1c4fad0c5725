export function double(n: number): number {
  return n * 2;
}

export const label: number = "two";
