import { prisma } from "../db";

export async function findUserByEmail(email: string) {
  return prisma.user.findUnique({ where: { email } });
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function displayName(first: string, last: string): string {
  return `${first} ${last}`.trim();
}

export function initials(name: string): string {
  return name
    .split(/\s+/)
    .map((part) => part[0] ?? "")
    .join("")
    .toUpperCase();
}

export function isAdult(age: number): boolean {
  return age >= 18;
}

export function clampPage(page: number): number {
  return Math.max(1, Math.min(page, 1000));
}
