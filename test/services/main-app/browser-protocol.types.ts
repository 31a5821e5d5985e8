/**
 * Compile-time contract between main_app and the web app (checked by `npm run typecheck`, no
 * runtime): what the server sends must fit what web/src/live/protocol.ts reads, and what the web
 * app sends must be what the server accepts. A field renamed or retyped on either side breaks
 * the type check here instead of a screen in a browser.
 */
import type { PriceMessage } from '../../../src/core/bus/market-data-topics.ts';
import type { StrikesMessage } from '../../../src/core/bus/strikes-topics.ts';
import type { HealthResponse } from '../../../src/core/http/server.ts';
import type { ServiceStatus as ServerServiceStatus } from '../../../src/core/service/directory.ts';
import type {
  BrowserClientMessage,
  BrowserServerMessage,
} from '../../../src/services/main_app/browser-socket.ts';
import type {
  ClientMessage,
  PlatformHealth,
  PricePayload,
  ServerMessage,
  ServiceStatus,
  StrikesPayload,
} from '../../../web/src/live/protocol.ts';

type Fits<Actual extends Expected, Expected> = [Actual, Expected];

export type Contract = [
  Fits<BrowserServerMessage, ServerMessage>,
  Fits<ClientMessage, BrowserClientMessage>,
  Fits<StrikesMessage, StrikesPayload>,
  Fits<PriceMessage, PricePayload>,
  Fits<HealthResponse, PlatformHealth>,
  Fits<ServerServiceStatus, ServiceStatus>,
];
