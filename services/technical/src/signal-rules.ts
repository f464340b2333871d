import { DomainInputError, resolveSignalRules, type SignalRules } from '@catalyst/domain';
import { ConfigError } from '@catalyst/shared';
import type { TechnicalConfig } from './config';

/**
 * The signal rules this service runs: the domain's defaults, then SIGNAL_RULES (JSON), then the
 * single-value variables. A bad value stops the service at boot naming the variable and the rule.
 */
export function signalRulesFromConfig(config: TechnicalConfig): SignalRules {
  const overrides: Record<string, Record<string, unknown> | unknown> = structuredClone(config.SIGNAL_RULES);
  const group = (name: string): Record<string, unknown> => {
    const existing = overrides[name];
    const g = typeof existing === 'object' && existing !== null ? (existing as Record<string, unknown>) : {};
    overrides[name] = g;
    return g;
  };
  if (config.SIGNAL_ENTRY_THRESHOLD !== undefined) overrides.entryThreshold = config.SIGNAL_ENTRY_THRESHOLD;
  if (config.SIGNAL_MIN_CATALYST_SCORE !== undefined) group('catalyst').minScore = config.SIGNAL_MIN_CATALYST_SCORE;
  if (config.SIGNAL_REWARD_RISK !== undefined) group('stops').rewardRisk = config.SIGNAL_REWARD_RISK;
  if (config.SIGNAL_ATR_STOP_MULTIPLE !== undefined) group('stops').atrMultiple = config.SIGNAL_ATR_STOP_MULTIPLE;
  try {
    return resolveSignalRules(overrides);
  } catch (err) {
    if (err instanceof DomainInputError) throw new ConfigError(`Invalid configuration: SIGNAL_RULES: ${err.message}`);
    throw err;
  }
}
