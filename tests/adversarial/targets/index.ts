// Every package's adversarial targets. A new domain package adds its file and one line here.
import { bookingsTargets } from './bookings';
import { coreTargets } from './core';
import { engineTargets } from './engine';
import { identityTargets } from './identity';
import { libraryTargets } from './library';
import { oracleTargets } from './oracle';
import type { AdversarialTargets } from './types';

/** The registered targets, one entry per package. */
export const ALL_TARGETS: readonly AdversarialTargets[] = [coreTargets, oracleTargets, bookingsTargets, libraryTargets, identityTargets, engineTargets];
