export function hashSources(entries: string[]): string;
export function ensureNodeModules(): void;
export function ensureRedisServer(): void;
export function ensurePostgres(): void;
export function chromiumPath(): string;
export function ensureChromium(): void;
export function ensurePrismaClient(): Promise<void>;
export function ensureBuild(): void;
export function nodeVersionOk(): void;
