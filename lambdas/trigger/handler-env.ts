/** The Trigger's environment variable naming the daily state machine (set by lib/trigger.ts). */
export const STATE_MACHINE_ARN_ENV = 'DAILY_STATE_MACHINE_ARN';
