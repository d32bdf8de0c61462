// credcore/otel: a pool's metrics and one span per batch through OpenTelemetry
// (`@opentelemetry/api`, an optional peer dependency).
import type { MeterProvider, TracerProvider } from '@opentelemetry/api';
import type { Pool } from './index.js';

/** Where to report, and attributes added to every point and span. */
export interface InstrumentPoolOptions {
  /** Default: the global meter provider (`metrics.getMeterProvider()`). */
  meterProvider?: MeterProvider;
  /** Default: the global tracer provider (`trace.getTracerProvider()`). */
  tracerProvider?: TracerProvider;
  attributes?: Record<string, string>;
}

/**
 * Reports a pool to OpenTelemetry: observable instruments (`credcore.items`, `credcore.errors`,
 * `credcore.batches`, latencies, queue, workers, caches: the figures of `pool.metrics()`) and a
 * span per settled batch (`credcore.verifyBatch`, `credcore.verifySignatures`, `credcore.verify`).
 * Returns a function that stops reporting.
 * @example const stop = instrumentPool(pool);
 */
export declare function instrumentPool(pool: Pool, options?: InstrumentPoolOptions): () => void;
