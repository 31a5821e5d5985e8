/** Fault injection for the exchange simulator: state + admin schemas, controller, REST hooks, WS outbox. */
export * from './fault-state.ts';
export * from './fault-controller.ts';
export * from './fault-hook.ts';
export * from './fault-routes.ts';
export * from './ws-outbox.ts';
