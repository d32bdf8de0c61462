// An OpenTelemetry SDK for the example server's test (`node --import ./otel-setup.mjs`): global
// meter and tracer providers that write what they export, as JSON, to CREDCORE_OTEL_OUT
// (metrics every 100 ms, spans as they end), as an OTLP exporter would send them.

import { renameSync, writeFileSync } from 'node:fs';
import { metrics, trace } from '@opentelemetry/api';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';

const out = process.env.CREDCORE_OTEL_OUT;
const state = { metrics: {}, spans: [] };
// Written whole, then renamed: a reader never sees half a file.
const save = () => {
  writeFileSync(`${out}.tmp`, JSON.stringify(state));
  renameSync(`${out}.tmp`, out);
};

const metricExporter = {
  export(resourceMetrics, done) {
    for (const scope of resourceMetrics.scopeMetrics) {
      for (const m of scope.metrics) state.metrics[m.descriptor.name] = m.dataPoints.map((p) => [p.value, p.attributes]);
    }
    save();
    done({ code: 0 });
  },
  async forceFlush() {},
  async shutdown() {},
};
const spanExporter = {
  export(spans, done) {
    for (const s of spans) state.spans.push({ name: s.name, attributes: s.attributes, scope: s.instrumentationScope.name });
    save();
    done({ code: 0 });
  },
  async shutdown() {},
};

metrics.setGlobalMeterProvider(new MeterProvider({
  readers: [new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 100, exportTimeoutMillis: 90 })],
}));
trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spanExporter)] }));
