import { createUndiciTransport } from '../../../../src/providers/transport/undiciTransport.js';
import { describeTransport } from './transportBehaviour.js';

describeTransport('undici', createUndiciTransport);
