export function postgresSchema(sqliteSchema: string): string;
export function writePostgresSchema(schemaText?: string, name?: string): { schema: string; config: string };
export function runPrisma(args: string[], opts?: { databaseUrl?: string; quiet?: boolean; dialect?: "sqlite" | "postgres" }): string;
