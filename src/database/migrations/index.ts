import { InitialSchema1732780800000 } from './1732780800000-initial-schema';

/** Every migration in order; listed explicitly so the built app and the tests load the same set. */
export const MIGRATIONS = [InitialSchema1732780800000];
