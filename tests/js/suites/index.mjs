// Every runtime-agnostic suite, by name. Node (node.test.mjs) and Chromium (browser.test.mjs) run them all.

import { tests as audit } from './audit.mjs';
import { tests as containment } from './containment.mjs';
import { tests as credentials } from './credentials.mjs';
import { before as curvesBefore, after as curves } from './curves.mjs';
import { tests as dataIntegrity } from './data-integrity.mjs';
import { tests as keys } from './keys.mjs';
import { tests as pool } from './pool.mjs';
import { tests as recycle } from './recycle.mjs';
import { tests as revocation } from './revocation.mjs';
import { tests as sdjwt } from './sdjwt.mjs';
import { tests as sessions } from './sessions.mjs';
import { tests as status } from './status.mjs';
import { tests as trust } from './trust.mjs';
import { tests as x5c } from './x5c.mjs';

// curvesBefore and x5c first: they check browsers' paths before the keys module is loaded (x5c
// loads it at its end; the suites after it issue and verify ECDSA synchronously).
// containment last: its traps replace the instance, which makes earlier suites' objects stale.
export const suites = { curvesBefore, x5c, curves, keys, audit, status, credentials, dataIntegrity, trust, sdjwt, revocation, sessions, pool, recycle, containment };
