import type { Migration } from 'kysely';

/** The two databases the store runs on. */
export type Dialect = 'sqlite' | 'postgres';

/**
 * One migration history for both dialects. Each migration receives the dialect so the few places that
 * differ (auto-increment ids) are spelled once, in `idColumn`.
 */
export type DialectMigration = (dialect: Dialect) => Migration;
