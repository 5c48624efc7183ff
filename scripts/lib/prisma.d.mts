export function runPrisma(args: string[], opts?: { databaseUrl?: string; quiet?: boolean }): string;
