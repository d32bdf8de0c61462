// The marker inputs of lib/trap-worker.mjs: a chunk holding one traps (TRAP) or kills (EXIT) its worker.
export const TRAP_MARKER = 'credcore-test:trap';
export const EXIT_MARKER = 'credcore-test:exit';
