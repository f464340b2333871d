/** The eight services and their fixed ports (DESIGN.md, fixed interfaces). */
export const SERVICE_PORTS = {
  coordination: 5000,
  scanner: 5001,
  patterns: 5002,
  technical: 5003,
  trading: 5005,
  news: 5008,
  reporting: 5009,
  dashboard: 5010,
} as const;

export type ServiceName = keyof typeof SERVICE_PORTS;
export const SERVICE_NAMES = Object.keys(SERVICE_PORTS) as ServiceName[];

export const MARKET_SIM_PORT = 5090;

/** `<SERVICE>_URL`, e.g. `SCANNER_URL`. */
export function serviceUrlVar(name: ServiceName): `${Uppercase<ServiceName>}_URL` {
  return `${name.toUpperCase()}_URL` as `${Uppercase<ServiceName>}_URL`;
}

export function defaultServiceUrl(name: ServiceName): string {
  return `http://127.0.0.1:${SERVICE_PORTS[name]}`;
}
