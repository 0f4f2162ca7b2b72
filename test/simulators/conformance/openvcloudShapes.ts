// OpenvCloud (G8)'s published shapes for the calls billgraph makes, each entry naming its page.
// Seed: /work/shared/seeds/004_349f2246021e1be9.txt (G8's billing page, "O1": billing/calculate).
// The listings and the legacy login are not on that page: their fields come from the digest
// /work/shared/specs/openvcloud.md, which restates G8's actor specs and data models (O2, O5, O6,
// O7). G8 documents no error bodies; the digest's choice (a JSON string) is marked as such.
// docs/upstreams/openvcloud.md#conformance lists which assertion comes from which page.

import type { Answer, FieldType, Shape } from './shapes.js';

const SEED = 'seeds/004_349f2246021e1be9.txt';
const SPEC = 'specs/openvcloud.md';
const ID_KEY = /^\d+$/;

/** A machine's `consumption` — seed § Result definition (with accountid): CU, SU, TU, no NU. */
export const MACHINE_CONSUMPTION: Shape = {
  name: 'MachineConsumption',
  source: `${SEED} § Result definition, machines.*.consumption`,
  fields: {
    CU: { type: 'number', required: true },
    SU: { type: 'number', required: true },
    TU: { type: 'number', required: true },
  },
};

/** A cloudspace's, an account's and the G8 total's `consumption` — seed § Result definition: CU, SU, TU, NU. */
export const CONSUMPTION: Shape = {
  name: 'Consumption',
  source: `${SEED} § Result definition, consumption`,
  fields: {
    CU: { type: 'number', required: true },
    SU: { type: 'number', required: true },
    TU: { type: 'number', required: true },
    NU: { type: 'number', required: true },
  },
};

export const CALCULATE_MACHINE: Shape = {
  name: 'CalculateMachine',
  source: `${SEED} § Result definition, cloudspaces.*.machines.*`,
  fields: {
    id: { type: 'integer', required: true },
    name: { type: 'string', required: true },
    consumption: { type: { object: MACHINE_CONSUMPTION }, required: true },
  },
};

export const CALCULATE_CLOUDSPACE: Shape = {
  name: 'CalculateCloudspace',
  source: `${SEED} § Result definition, account.cloudspaces.*`,
  fields: {
    id: { type: 'integer', required: true },
    name: { type: 'string', required: true },
    machines: { type: { mapOf: { object: CALCULATE_MACHINE }, keys: ID_KEY }, required: true },
    consumption: { type: { object: CONSUMPTION }, required: true },
  },
};

export const CALCULATE_ACCOUNT: Shape = {
  name: 'CalculateAccount',
  source: `${SEED} § Result definition, account`,
  fields: {
    id: { type: 'integer', required: true },
    name: { type: 'string', required: true },
    cloudspaces: { type: { mapOf: { object: CALCULATE_CLOUDSPACE }, keys: ID_KEY }, required: true },
    consumption: { type: { object: CONSUMPTION }, required: true },
  },
};

/** billing/calculate with accountId — seed § Result definition, "When accountid is specified". */
export const CALCULATE_ACCOUNT_RESULT: Shape = {
  name: 'CalculateAccountResult',
  source: `${SEED} § Result definition (with accountid)`,
  fields: { account: { type: { object: CALCULATE_ACCOUNT }, required: true } },
};

/** billing/calculate without accountId — seed § Result definition, "Without accountid". */
export const CALCULATE_TOTAL_RESULT: Shape = {
  name: 'CalculateTotalResult',
  source: `${SEED} § Result definition (without accountid)`,
  fields: { consumption: { type: { object: CONSUMPTION }, required: true } },
};

/** An ACL entry — specs/openvcloud.md § accounts/list, ACE fields (O6). */
export const ACE: Shape = {
  name: 'ACE',
  source: `${SPEC} § POST …/accounts/list, ACE fields (O6)`,
  fields: {
    userGroupId: { type: 'string', required: true },
    type: { type: { oneOf: ['U', 'G'] }, required: true },
    right: { type: 'string', required: true },
    status: { type: { oneOf: ['INVITED', 'CONFIRMED'] }, required: true },
    explicit: { type: 'boolean', required: true },
  },
};

/** accounts/list item — specs/openvcloud.md § POST …/accounts/list (O5). */
export const ACCOUNT: Shape = {
  name: 'Account',
  source: `${SPEC} § POST …/accounts/list (O5)`,
  fields: {
    id: { type: 'integer', required: true },
    name: { type: 'string', required: true },
    acl: { type: { arrayOf: { object: ACE } }, required: true },
    creationTime: { type: 'integer', required: true },
    updateTime: { type: 'integer', required: true },
  },
};

/** cloudspaces/list item — specs/openvcloud.md § POST …/cloudspaces/list (O5). */
export const CLOUDSPACE: Shape = {
  name: 'Cloudspace',
  source: `${SPEC} § POST …/cloudspaces/list (O5)`,
  fields: {
    id: { type: 'integer', required: true },
    name: { type: 'string', required: true },
    descr: { type: 'string', required: true },
    status: { type: 'string', required: true },
    accountId: { type: 'integer', required: true },
    accountName: { type: 'string', required: true },
    acl: { type: { arrayOf: { object: ACE } }, required: true },
    accountAcl: { type: { object: ACE }, required: true },
    type: { type: 'string', required: true },
    externalnetworkip: { type: 'string', required: true },
    publicipaddress: { type: 'string', required: true },
    location: { type: 'string', required: true },
    gid: { type: 'integer', required: true },
    creationTime: { type: 'integer', required: true },
    updateTime: { type: 'integer', required: true },
  },
};

/**
 * A machine's NIC — specs/openvcloud.md § machines/list, `nics` (O6). The page's example shows
 * five of the eight fields; `deviceName`, `referenceId` and `params` are named but not typed
 * there (strings here, not required).
 */
export const NIC: Shape = {
  name: 'Nic',
  source: `${SPEC} § POST …/machines/list, nics (O6)`,
  fields: {
    ipAddress: { type: 'string', required: true },
    macAddress: { type: 'string', required: true },
    type: { type: 'string', required: true },
    networkId: { type: 'integer', required: true },
    status: { type: 'string', required: true },
    deviceName: { type: 'string', required: false },
    referenceId: { type: 'string', required: false },
    params: { type: 'string', required: false },
  },
};

/** machines/list item — specs/openvcloud.md § POST …/machines/list (O5, O6). */
export const MACHINE: Shape = {
  name: 'Machine',
  source: `${SPEC} § POST …/machines/list (O5)`,
  fields: {
    id: { type: 'integer', required: true },
    referenceId: { type: 'string', required: true },
    cloudspaceid: { type: 'integer', required: true },
    hostname: { type: 'string', required: true },
    imageId: { type: 'integer', required: true },
    name: { type: 'string', required: true },
    nics: { type: { arrayOf: { object: NIC } }, required: true },
    sizeId: { type: 'integer', required: true },
    status: { type: { oneOf: ['RUNNING', 'HALTED', 'PAUSED', 'MIGRATING'] }, required: true },
    stackId: { type: 'integer', required: true },
    disks: { type: { arrayOf: 'integer' }, required: true },
    creationTime: { type: 'integer', required: true },
    updateTime: { type: 'integer', required: true },
    memory: { type: 'integer', required: true },
    vcpus: { type: 'integer', required: true },
    storage: { type: 'integer', required: true },
  },
};

/** G8 documents no error body; the digest models it as a JSON-encoded message (specs § Errors for calculate). */
const errorBody: FieldType = 'string';
const ERRORS = `${SPEC} § Errors for calculate (assumed; a JSON string body)`;

/** The answers the suite checks, each with the page that documents it. */
export const OPENVCLOUD_ANSWERS = {
  calculateAccount: {
    status: 200,
    source: `${SEED} § Result definition (with accountid)`,
    body: { object: CALCULATE_ACCOUNT_RESULT },
  },
  calculateTotal: {
    status: 200,
    source: `${SEED} § Result definition (without accountid)`,
    body: { object: CALCULATE_TOTAL_RESULT },
  },
  listAccounts: { status: 200, source: ACCOUNT.source, body: { arrayOf: { object: ACCOUNT } } },
  listCloudspaces: { status: 200, source: CLOUDSPACE.source, body: { arrayOf: { object: CLOUDSPACE } } },
  listMachines: { status: 200, source: MACHINE.source, body: { arrayOf: { object: MACHINE } } },
  /** The session key as a JSON string — specs § Base path and authentication (O2, O5). */
  authenticate: { status: 200, source: `${SPEC} § Base path and authentication, Legacy (O2, O5)`, body: 'string' },
  unauthorized: { status: 401, source: ERRORS, body: errorBody },
  /** Outside the billing group — seed § Authentication ("must have access to the billing group"); status assumed (O7). */
  forbidden: { status: 403, source: `${SEED} § Authentication; 403 per ${ERRORS}`, body: errorBody },
  /** Unknown account — the message is G8's own (O7). */
  notFound: { status: 404, source: `${ERRORS}; message from O7`, body: errorBody },
  /** Missing start/end; machines/list without cloudspaceId (message from O5). */
  badRequest: { status: 400, source: `${ERRORS}; machines/list message from O5`, body: errorBody },
} as const satisfies Record<string, Answer>;
