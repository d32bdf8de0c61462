// The suites' redis-server: the one helper of the repository (scripts/redis-server.mjs).
export { startRedis, freePort, waitForPong, redisServerPath } from '../../../scripts/redis-server.mjs';
