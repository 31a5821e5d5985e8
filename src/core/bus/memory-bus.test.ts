import { runBusContract } from './bus-contract.ts';
import { MemoryBus } from './memory-bus.ts';

runBusContract({ name: 'MemoryBus', open: async (logger) => new MemoryBus({ logger }) });
