// Where each step lives in the GUI, one entry per click, per admin tool. The UI names themselves are
// in the locale files (the Japanese ones as the Japanese Exchange UI shows them); only keys are here.
import type { StepId } from '../flow/types';
import type { AdminTool, Generation } from './facts';
import type { Say } from './phrases';

// The Services snap-in moved between Windows versions, so this path follows the generation.
const OPEN_SERVICES: Partial<Record<Generation, Say[]>> = {
  ex2007: [['gui.services.startMenu']],
  // Windows Server 2008 / 2008 R2 Server Manager, as the Exchange 2010 procedure walks it.
  ex2010: [['gui.services.serverManager'], ['gui.services.configurationServices']],
  ex2013: [['gui.services.servicesMsc']],
  ex2016: [['gui.services.serverManager'], ['gui.services.toolsServices']],
};

const SET_SERVICE_AUTOMATIC: Say[] = [
  ['gui.services.openProperties', 'serviceDisplay'],
  ['gui.services.automatic'],
  ['gui.services.start'],
];

export function serviceClicks(generation: Generation, backendService: boolean): Say[] {
  const open = OPEN_SERVICES[generation];
  if (!open) throw new Error(`There are no Windows services to manage on ${generation}.`);
  return [
    ...open,
    ...SET_SERVICE_AUTOMATIC,
    ...(backendService ? [['gui.services.repeatForBackend', 'backendDisplay'] as const] : []),
  ];
}

// Exchange 2010's console has a "Microsoft Exchange On-Premises" node above the configuration nodes.
const EMC_2007_OPEN: Say[] = [['gui.emc.open']];
const EMC_2010_OPEN: Say[] = [['gui.emc.open'], ['gui.emc.onPremises']];

const EMC_SERVER_SETTINGS: Say[] = [
  ['gui.emc.serverClientAccess'],
  ['gui.emc.selectServer', 'server'],
  ['gui.emc.popImapTab'],
  ['gui.emc.protocolProperties', 'protocol'],
  ['gui.emc.bindingTab'],
  ['gui.emc.authenticationTab'],
];

const EMC_MAILBOX: Say[] = [
  ['gui.emc.recipientMailbox'],
  ['gui.emc.mailboxProperties'],
  ['gui.emc.mailboxFeaturesTab'],
  ['gui.emc.enableProtocol', 'protocol'],
];

const EMC_CONNECTOR: Say[] = [
  ['gui.emc.serverHubTransport'],
  ['gui.emc.receiveConnectorsTab', 'server'],
  ['gui.emc.connectorEnabled', 'connector'],
  ['gui.emc.connectorProperties', 'connector'],
  ['gui.emc.connectorAuthenticationTab'],
];

const EAC_OPEN: Say[] = [['gui.eac.open', 'server']];

const EAC: Partial<Record<StepId, Say[]>> = {
  serverSettings: [
    ...EAC_OPEN,
    ['gui.eac.servers'],
    ['gui.eac.editServer', 'server'],
    ['gui.eac.protocolPage', 'protocol'],
    ['gui.eac.logonMethod'],
    ['gui.eac.bindings'],
    ['gui.eac.save'],
    ['gui.eac.certificates', 'certService'],
  ],
  mailbox: [
    ...EAC_OPEN,
    ['gui.eac.recipientsMailboxes'],
    ['gui.eac.editMailbox'],
    ['gui.eac.mailboxFeatures'],
    ['gui.eac.emailConnectivity', 'eacLabel'],
    ['gui.eac.save'],
  ],
  connector: [
    ...EAC_OPEN,
    ['gui.eac.receiveConnectors', 'server'],
    ['gui.eac.connectorStatus', 'connector'],
    ['gui.eac.editConnector', 'connector'],
    ['gui.eac.connectorSecurity'],
    ['gui.eac.save'],
  ],
};

const ONLINE: Partial<Record<StepId, Say[]>> = {
  mailbox: [
    ['gui.online.eacOpen'],
    ['gui.online.recipientsMailboxes'],
    ['gui.online.selectMailbox'],
    ['gui.online.manageEmailApps'],
    ['gui.online.toggleProtocol', 'protocol'],
  ],
  onlineAuth: [
    ['gui.online.entraOpen'],
    ['gui.online.signInLogs'],
    ['gui.online.appRegistrations'],
    ['gui.online.apiPermissions', 'permission'],
    ['gui.online.adminOpen'],
    ['gui.online.activeUsers'],
    ['gui.online.userMailApps'],
    ['gui.online.authenticatedSmtp'],
  ],
};

export const GUI_BY_TOOL: Record<AdminTool, Partial<Record<StepId, Say[]>>> = {
  emc2007: {
    serverSettings: [...EMC_2007_OPEN, ...EMC_SERVER_SETTINGS],
    mailbox: [...EMC_2007_OPEN, ...EMC_MAILBOX],
    connector: [...EMC_2007_OPEN, ...EMC_CONNECTOR],
  },
  emc2010: {
    serverSettings: [...EMC_2010_OPEN, ...EMC_SERVER_SETTINGS],
    mailbox: [...EMC_2010_OPEN, ...EMC_MAILBOX],
    connector: [...EMC_2010_OPEN, ...EMC_CONNECTOR],
  },
  eac: EAC,
  online: ONLINE,
};
