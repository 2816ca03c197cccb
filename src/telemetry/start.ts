// The OpenTelemetry SDK, registered behind @opentelemetry/api when the operator named somewhere to send
// telemetry. Loaded by src/index.ts with a dynamic import, and only then: a bot without telemetry never
// loads the SDK or its exporters.
import { AzureMonitorMetricExporter, AzureMonitorTraceExporter } from '@azure/monitor-opentelemetry-exporter';
import { DiagLogLevel, diag, metrics, trace } from '@opentelemetry/api';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { defaultResource, detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader, type PushMetricExporter } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, BatchSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { TelemetryConfig } from '../config';
import type { Logger } from '../logging';

export interface Telemetry {
  /** Exports what is collected so far: before the outbox's store closes, while its backlog can still be read. */
  flush(): Promise<void>;
  /** Exports the rest and stops. */
  shutdown(): Promise<void>;
}

export function startTelemetry(config: TelemetryConfig, log: Logger): Telemetry {
  // The SDK's own complaints (a collector that cannot be reached, say) as the bot's JSON log lines.
  const sdkLog = log.child({ component: 'opentelemetry' });
  diag.setLogger(
    {
      error: (message) => sdkLog.warn(`telemetry could not be exported: ${message}`),
      warn: (message) => sdkLog.warn(message),
      info: () => undefined,
      debug: () => undefined,
      verbose: () => undefined,
    },
    DiagLogLevel.WARN,
  );
  const spanExporters: SpanExporter[] = [];
  const metricExporters: PushMetricExporter[] = [];
  if (config.otlpEndpoint) {
    // They read OTEL_EXPORTER_OTLP_ENDPOINT (adding /v1/traces, /v1/metrics), _HEADERS and _TIMEOUT themselves.
    spanExporters.push(new OTLPTraceExporter());
    metricExporters.push(new OTLPMetricExporter());
  }
  if (config.applicationInsightsConnectionString) {
    // Without offline storage: the exporter would otherwise keep what it could not send in files under the
    // temporary directory, to send later; here, as with OTLP, what cannot be sent is lost and logged.
    const options = { connectionString: config.applicationInsightsConnectionString, disableOfflineStorage: true };
    spanExporters.push(new AzureMonitorTraceExporter(options));
    metricExporters.push(new AzureMonitorMetricExporter(options));
  }
  // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES, when set, win over the bot's own name.
  const resource = defaultResource()
    .merge(resourceFromAttributes({ 'service.name': 'popimap-bot' }))
    .merge(detectResources({ detectors: [envDetector] }));
  const tracerProvider = new BasicTracerProvider({ resource, spanProcessors: spanExporters.map((exporter) => new BatchSpanProcessor(exporter)) });
  const meterProvider = new MeterProvider({
    resource,
    readers: metricExporters.map((exporter) => new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: config.metricIntervalMs })),
  });
  trace.setGlobalTracerProvider(tracerProvider);
  metrics.setGlobalMeterProvider(meterProvider);
  // Telemetry that cannot be sent is lost, and said so: it never keeps the bot from stopping cleanly.
  const settled = (work: Promise<unknown>) =>
    work.then(
      () => undefined,
      (error: unknown) => sdkLog.warn({ err: error }, 'telemetry could not be exported while stopping; what was left is lost'),
    );
  return {
    flush: () => settled(Promise.all([tracerProvider.forceFlush(), meterProvider.forceFlush()])),
    shutdown: () => settled(Promise.all([tracerProvider.shutdown(), meterProvider.shutdown()])),
  };
}
