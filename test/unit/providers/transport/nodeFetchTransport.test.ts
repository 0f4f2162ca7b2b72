import { createNodeFetchTransport } from '../../../../src/providers/transport/nodeFetchTransport.js';
import { describeTransport } from './transportBehaviour.js';

describeTransport('node-fetch', createNodeFetchTransport);
