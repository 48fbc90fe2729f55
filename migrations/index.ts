import { Platform1764300000000 } from './1764300000000-platform';

/** Every migration, in order. New migrations are appended here. */
export const MIGRATIONS = [Platform1764300000000];
